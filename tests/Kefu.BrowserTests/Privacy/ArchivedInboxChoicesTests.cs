using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Privacy;

/// <summary>An archived inbox is no longer offered as a choice: not on the retention page, not among a person's inboxes.</summary>
public sealed class ArchivedInboxChoicesTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ArchivedInbox_IsGoneFromTheRetentionPage_AndFromAPersonsInboxChoices() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var kept = await CreateInboxAsync(api, "Kept shop");
        var archived = await CreateInboxAsync(api, "Closed shop");
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/inboxes/{archived}")).StatusCode);
        var (personId, _) = await Server.CreateAgentAsync("Ada Access");

        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/privacy");
        await Expect(page.Locator("[data-testid=retention-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=retention-row][data-inbox-id='{kept}']")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-testid=retention-row][data-inbox-id='{archived}']")).ToHaveCountAsync(0);

        await page.GotoAsync($"/console/settings/people/{personId}");
        await Expect(page.Locator("[data-testid=person-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Role and inboxes" }).ClickAsync();
        var choices = page.GetByTestId("person-inboxes");
        await Expect(choices).ToContainTextAsync("Kept shop");
        await Expect(choices).Not.ToContainTextAsync("Closed shop");
    });

    private static async Task<Guid> CreateInboxAsync(HttpClient api, string name)
    {
        var created = await api.PostAsJsonAsync("/api/v1/inboxes", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
