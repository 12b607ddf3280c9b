using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Routing;

/// <summary>
/// The inbox routing page: business hours edited as a week of ranges, a backwards range refused beside the editor
/// with nothing saved, then a valid week and a holiday saved and read back through the API.
/// </summary>
public sealed class RoutingSettingsPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task BusinessHours_EditedAsAWeek_ABackwardsRangeIsRefusedBesideIt_ThenTheFixedWeekIsSaved() => RunAsync(async () =>
    {
        var inboxId = await InboxIdAsync();
        using var api = await AdminApiAsync();
        var page = await NewPageAsync("admin", "en-US");
        await SignInAgentAsync(page);
        await page.GotoAsync($"/console/settings/inboxes/{inboxId}/routing");
        await Expect(page.Locator("[data-testid=routing-page][data-interactive=true]")).ToBeVisibleAsync();

        var monday = page.GetByTestId("weekly-day-monday");
        var tuesday = page.GetByTestId("weekly-day-tuesday");
        await monday.GetByTestId("weekly-add").ClickAsync();
        await tuesday.GetByTestId("weekly-add").ClickAsync();
        await Expect(monday.GetByTestId("weekly-range")).ToHaveCountAsync(1);
        await tuesday.GetByTestId("weekly-to").ClickAsync();
        await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasTextRegex = new Regex("^08:00$") }).ClickAsync();
        await page.GetByTestId("routing-save").ClickAsync();

        await Expect(page.GetByTestId("field-error-businessHours")).ToContainTextAsync("must end after it starts");
        Assert.Equal("", (await RoutingAsync(api, inboxId)).GetProperty("businessHours").GetString());

        await tuesday.GetByTestId("weekly-remove").ClickAsync();
        await page.GetByTestId("holiday-date").Locator("input").FillAsync("2027-10-01");
        await page.GetByTestId("holiday-date").Locator("input").PressAsync("Enter");
        await page.GetByTestId("holiday-add").ClickAsync();
        await Expect(page.GetByTestId("holiday")).ToContainTextAsync("2027-10-01");
        await page.GetByTestId("routing-save").ClickAsync();

        await Expect(page.GetByTestId("field-error-businessHours")).ToHaveCountAsync(0);
        await Expect(page.Locator(".rz-notification-message")).ToContainTextAsync("Routing saved");
        var saved = await RoutingAsync(api, inboxId);
        Assert.Equal("mon 09:00-18:00", saved.GetProperty("businessHours").GetString());
        Assert.Equal("2027-10-01", saved.GetProperty("holidays").GetString());
        await AssertNoHorizontalScrollAsync(page);

        // The same page in Chinese at 1280×800: the week still fits (no CJK font here, so only the layout is checked).
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync($"/console/settings/inboxes/{inboxId}/routing");
        await Expect(zh.Locator("[data-testid=routing-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.GetByTestId("weekly-day-monday").GetByTestId("weekly-range")).ToHaveCountAsync(1);
        await AssertNoHorizontalScrollAsync(zh);
        AssertNoDialogs();
    });

    private async Task<Guid> InboxIdAsync()
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        return await db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync();
    }

    private static Task<JsonElement> RoutingAsync(HttpClient api, Guid inboxId) => api.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{inboxId}/routing");

    internal static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{page.Url} scrolls sideways by {overflow}px at 1280×800.");
    }
}
