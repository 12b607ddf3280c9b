using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Tickets;

/// <summary>
/// The ticket list's saved views at 1280×800: filter by a custom field's value, save the filters as a view, pick it again
/// on a fresh page and see only the matching tickets; rename it; then the same view picked in Chinese.
/// </summary>
public sealed class TicketSavedViewTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Agent_SavesAViewWithACustomFieldFilter_PicksIt_AndSeesOnlyTheMatchingTickets_InBothLanguages() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var key = "tier_" + suffix;
        (await api.PostAsJsonAsync("/api/v1/tickets/fields", new { key, labelEn = "Tier " + suffix, labelZh = "等级 " + suffix, type = "list", options = new[] { "Gold", "Silver" } }))
            .EnsureSuccessStatusCode();
        var ids = new List<Guid>();
        foreach (var (subject, tier) in new[] { ($"Gold customer {suffix}", "Gold"), ($"Silver customer {suffix}", "Silver") })
        {
            var created = await api.PostAsJsonAsync("/api/v1/tickets", new { subject, fields = new Dictionary<string, object> { [key] = tier } });
            created.EnsureSuccessStatusCode();
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var page = await NewPageAsync("agent");
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/tickets");
        await Expect(page.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        var grid = page.GetByTestId("tickets-grid");
        await Expect(grid).ToContainTextAsync($"Silver customer {suffix}");

        // Filter by the field's value, then save the filters as a view.
        await RadzenInputs.ChooseAsync(page, "ticket-filter-field", key);
        await page.GetByTestId("ticket-filter-field-value").FillAsync("gold");
        await page.GetByTestId("ticket-filter-field-value").PressAsync("Tab");
        await Expect(grid).ToContainTextAsync($"Gold customer {suffix}");
        await Expect(grid).Not.ToContainTextAsync($"Silver customer {suffix}");
        await page.GetByTestId("ticket-view-name").FillAsync("Gold " + suffix);
        await page.GetByTestId("ticket-view-save").ClickAsync();
        await Expect(page.GetByTestId("ticket-saved-view")).ToHaveAttributeAsync("data-value", new Regex("^[0-9a-f-]{36}$"));
        var viewId = await page.GetByTestId("ticket-saved-view").GetAttributeAsync("data-value");
        Assert.True(Guid.TryParse(viewId, out _), $"the saved view is picked: '{viewId}'");
        Assert.Contains((await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/views"))!, v => v.GetProperty("name").GetString() == "Gold " + suffix);

        // A fresh page lists everything until the view is picked.
        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(grid).ToContainTextAsync($"Silver customer {suffix}");
        await RadzenInputs.ChooseAsync(page, "ticket-saved-view", viewId!);
        await Expect(grid).ToContainTextAsync($"Gold customer {suffix}");
        await Expect(grid).Not.ToContainTextAsync($"Silver customer {suffix}");
        await Expect(page.GetByTestId("ticket-filter-field")).ToHaveAttributeAsync("data-value", key);

        // Rename it in place.
        await page.GetByTestId("ticket-view-name").FillAsync("Gold VIPs " + suffix);
        await page.GetByTestId("ticket-view-rename").ClickAsync();
        await Wait.ForAsync(async () => (await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/views"))!.Select(v => v.GetProperty("name").GetString()).ToList(),
            names => names.Contains("Gold VIPs " + suffix), "the view renamed");
        await Expect(grid).Not.ToContainTextAsync($"Silver customer {suffix}");
        // A bulk action on what the view shows: the one gold ticket, assigned to me.
        await grid.GetByTestId("ticket-select").First.ClickAsync();
        await page.GetByTestId("ticket-bulk-assign-me").ClickAsync();
        await Wait.ForAsync(async () => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ids[0]}")).GetProperty("ticket").GetProperty("assigneeId").ValueKind,
            kind => kind == JsonValueKind.String, "the gold ticket assigned");
        Assert.Equal(JsonValueKind.Null, (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ids[1]}")).GetProperty("ticket").GetProperty("assigneeId").ValueKind);
        Assert.False(await ScrollsSidewaysAsync(page), "the ticket list scrolls sideways");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-views-en.png") });

        var zh = await NewPageAsync("zh", "zh-CN");
        await zh.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/tickets");
        await Expect(zh.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.GetByTestId("ticket-view-save")).ToContainTextAsync("保存为视图");
        await RadzenInputs.ChooseAsync(zh, "ticket-saved-view", viewId!);
        await Expect(zh.GetByTestId("tickets-grid")).ToContainTextAsync($"Gold customer {suffix}");
        await Expect(zh.GetByTestId("tickets-grid")).Not.ToContainTextAsync($"Silver customer {suffix}");
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese ticket list scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-views-zh.png") });

        // Delete leaves the list unfiltered again.
        await zh.GetByTestId("ticket-view-delete").ClickAsync();
        await Expect(zh.GetByTestId("tickets-grid")).ToContainTextAsync($"Silver customer {suffix}");
        Assert.DoesNotContain((await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/views"))!, v => v.GetProperty("id").GetString() == viewId);
    });
}
