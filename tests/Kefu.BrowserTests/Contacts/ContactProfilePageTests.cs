using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Routing;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Contacts;

/// <summary>
/// The contact list and one contact's profile (company, language, location, custom attributes, a note, one history) in
/// English and Chinese at 1280×800, without a horizontal scroll; screenshots for a person to look at.
/// </summary>
public sealed class ContactProfilePageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TheContactListAndProfile_ShowAttributesNotesAndHistory_InEnglishAndChinese() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var marker = "Pf" + Guid.NewGuid().ToString("N")[..6];
        var plan = "plan_" + marker.ToLowerInvariant();
        (await api.PostAsJsonAsync("/api/v1/contact-attributes", new { key = plan, labelEn = "Plan", labelZh = "套餐", type = "list", options = new[] { "Gold", "Silver" } }))
            .EnsureSuccessStatusCode();
        var visitor = await NewPageAsync("visitor " + marker);
        var text = marker + " 我的订单什么时候到？";
        await VisitorSendsAsync(await OpenWidgetAsync(visitor), text);
        Guid contactId;
        await using (var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync())
        {
            contactId = await db.Messages.Where(m => m.Text == text).Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => c.ContactId).SingleAsync();
        }

        (await api.PutAsJsonAsync($"/api/v1/contacts/{contactId}", new
        {
            name = marker + " 王芳", email = $"{marker.ToLowerInvariant()}@example.com", tags = new[] { "vip" }, company = "示例贸易有限公司", language = "zh-CN",
            location = "上海", attributes = new Dictionary<string, object> { [plan] = "Gold" },
        })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync($"/api/v1/contacts/{contactId}/notes", new { text = "Prefers e-mail · 喜欢邮件联系" })).EnsureSuccessStatusCode();

        foreach (var (locale, suffix) in new[] { ("en-US", "en"), ("zh-CN", "zh") })
        {
            var page = await NewPageAsync("admin-" + suffix, locale);
            await SignInAgentAsync(page);
            await page.GotoAsync("/console/contacts");
            await Expect(page.Locator("[data-testid=contacts-page][data-interactive=true]")).ToBeVisibleAsync();
            await page.GetByTestId("contacts-search").FillAsync(marker);
            await page.GetByTestId("contacts-search").PressAsync("Enter");
            await Expect(page.Locator($"[data-testid=contact-open][data-contact-id='{contactId}']")).ToBeVisibleAsync();
            await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-contacts-list-{suffix}.png") });

            await page.Locator($"[data-testid=contact-open][data-contact-id='{contactId}']").ClickAsync();
            await Expect(page.Locator("[data-testid=contact-page][data-interactive=true]")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("contact-page-company")).ToHaveTextAsync("示例贸易有限公司");
            await Expect(page.Locator($"[data-testid=contact-page-attribute][data-key='{plan}']")).ToHaveTextAsync("Gold");
            await Expect(page.GetByTestId("contact-history-item")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("contact-history")).ToContainTextAsync(marker);
            await Expect(page.Locator("body")).ToContainTextAsync("喜欢邮件联系");
            await Expect(page.Locator("body")).ToContainTextAsync(suffix == "zh" ? "套餐" : "Plan");
            await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-contacts-profile-{suffix}.png"), FullPage = true });
        }

        AssertNoDialogs();
    });
}
