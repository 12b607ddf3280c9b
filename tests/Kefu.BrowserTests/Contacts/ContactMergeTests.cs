using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Routing;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Contacts;

/// <summary>The contact page: one history, identities, and a merge chosen in a dialog that lands on the survivor with both histories.</summary>
public sealed class ContactMergeTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AnAgent_MergesAContactIntoAnother_FromTheContactPage() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var marker = "Mg" + Guid.NewGuid().ToString("N")[..6];
        var duplicate = await ContactWithConversationAsync(api, marker + " Duplicate", marker + " first question");
        var survivor = await ContactWithConversationAsync(api, marker + " Survivor", marker + " second question");
        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/contacts");
        await Expect(page.Locator("[data-testid=contacts-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("contacts-search").FillAsync(marker + " Duplicate");
        await page.GetByTestId("contacts-search").PressAsync("Enter");
        await page.Locator($"[data-testid=contact-open][data-contact-id='{duplicate}']").ClickAsync();

        await Expect(page.Locator("[data-testid=contact-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("contact-history-item")).ToHaveCountAsync(1);
        await page.GetByTestId("contact-merge-open").ClickAsync();
        await page.GetByTestId("contact-merge-search").FillAsync(marker);
        await page.GetByTestId("contact-merge-search").PressAsync("Enter");
        await page.Locator($"[data-testid=contact-merge-candidate][data-contact-id='{survivor}']").ClickAsync();
        await page.GetByTestId("contact-merge-confirm").ClickAsync();

        await page.WaitForURLAsync($"**/console/contacts/{survivor}");
        await Expect(page.GetByTestId("contact-history-item")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("contact-history")).ToContainTextAsync(marker + " first question");
        var merged = await api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{duplicate}");
        Assert.Equal(survivor, merged.GetProperty("mergedIntoId").GetGuid());
        await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-contact-page-en.png") });

        // The merged contact's page says where it went; Chinese lays out the same.
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync($"/console/contacts/{duplicate}");
        await Expect(zh.GetByTestId("contact-merged")).ToBeVisibleAsync();
        await Expect(zh.GetByTestId("contact-merge-open")).ToHaveCountAsync(0);
        await zh.GotoAsync($"/console/contacts/{survivor}");
        await Expect(zh.GetByTestId("contact-history-item")).ToHaveCountAsync(2);
        await RoutingSettingsPageTests.AssertNoHorizontalScrollAsync(zh);
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-contact-page-zh.png") });
        AssertNoDialogs();
    });

    /// <summary>A widget visitor who wrote once in the demo shop (their own browser), then named through the API.</summary>
    private async Task<Guid> ContactWithConversationAsync(HttpClient api, string name, string text)
    {
        var visitor = await NewPageAsync("visitor " + name);
        await VisitorSendsAsync(await OpenWidgetAsync(visitor), text);
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        var contactId = await db.Messages.Where(m => m.Text == text).Join(db.Conversations, m => m.ConversationId, c => c.Id, (m, c) => c.ContactId).SingleAsync();
        (await api.PutAsJsonAsync($"/api/v1/contacts/{contactId}", new { name, tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
        return contactId;
    }
}
