using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Routing;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Contacts;

/// <summary>The contacts page: search, edit in a dialog, a bad e-mail refused beside its field, then saved with a VIP tag and a masked phone.</summary>
public sealed class ContactEditTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AContact_IsFoundEditedAndTaggedVip_ABadEmailIsRefusedBesideItsField() => RunAsync(async () =>
    {
        var contactId = await NewContactAsync();
        using var api = await AdminApiAsync();
        var marker = "Kq" + Guid.NewGuid().ToString("N")[..6];
        (await api.PutAsJsonAsync($"/api/v1/contacts/{contactId}", new { name = marker + " Visitor", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
        var page = await NewPageAsync("admin", "en-US");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/contacts");
        await Expect(page.Locator("[data-testid=contacts-page][data-interactive=true]")).ToBeVisibleAsync();

        await page.GetByTestId("contacts-search").FillAsync(marker);
        await page.GetByTestId("contacts-search").PressAsync("Enter");
        await Expect(page.GetByTestId("contact-edit-open")).ToHaveCountAsync(1);
        await page.Locator($"[data-testid=contact-edit-open][data-contact-id='{contactId}']").ClickAsync();
        await page.GetByTestId("contact-edit-name").FillAsync("Wang Fang");
        await page.GetByTestId("contact-edit-email").FillAsync("wang.fang at example");
        await page.GetByTestId("contact-edit-phone").FillAsync("13800138000");
        await page.GetByTestId("contact-edit-tags-input").FillAsync("vip");
        await page.GetByTestId("contact-edit-tags-add").ClickAsync();
        await Expect(page.GetByTestId("contact-edit-tags-chip")).ToContainTextAsync("vip");
        await page.GetByTestId("contact-edit-save").ClickAsync();

        await Expect(page.GetByTestId("field-error-email")).ToBeVisibleAsync();
        Assert.StartsWith(marker, (await ContactAsync(api, contactId)).GetProperty("name").GetString());

        await page.GetByTestId("contact-edit-email").FillAsync("wang.fang@example.com");
        await page.GetByTestId("contact-edit-save").ClickAsync();
        await Expect(page.GetByTestId("contact-edit")).ToHaveCountAsync(0);
        await page.GetByTestId("contacts-search").FillAsync("Wang Fang");
        await page.GetByTestId("contacts-search").PressAsync("Enter");
        await Expect(page.GetByTestId("contacts-grid")).ToContainTextAsync("138****8000");
        await Expect(page.GetByTestId("contacts-grid")).ToContainTextAsync("vip");
        var saved = await ContactAsync(api, contactId);
        Assert.Equal("Wang Fang", saved.GetProperty("name").GetString());
        Assert.Equal("138****8000", saved.GetProperty("phone").GetString());
        Assert.Equal(["vip"], saved.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(page);

        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/contacts");
        await Expect(zh.Locator("[data-testid=contacts-page][data-interactive=true]")).ToBeVisibleAsync();
        await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(zh);
        AssertNoDialogs();
    });

    private async Task<Guid> NewContactAsync()
    {
        string key;
        await using (var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync())
        {
            key = await db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.WidgetKey!).FirstAsync();
        }

        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        var session = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key });
        session.EnsureSuccessStatusCode();
        return (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("contactId").GetGuid();
    }

    private static Task<JsonElement> ContactAsync(HttpClient api, Guid id) => api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}");
}
