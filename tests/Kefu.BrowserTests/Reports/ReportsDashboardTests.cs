using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Reports;

/// <summary>
/// The dashboards on a conversation made through the real paths (widget, console, survey): every number the page shows
/// equals what the REST report returns for the same filters, the downloads work, and the pages fit 1280×800 in both languages.
/// </summary>
public sealed class ReportsDashboardTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task AnsweredResolvedAndRatedConversation_ShowsTheApisNumbers_OnEveryTab() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var inboxId = await Server.DbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        var template = await api.PostAsJsonAsync("/api/v1/survey-templates", new
        {
            name = "Dashboards " + Guid.NewGuid().ToString("N")[..6], kind = "csat", style = "stars",
            questions = new[] { new { en = "How did we do?", zh = "您对本次服务满意吗？" } },
        });
        template.EnsureSuccessStatusCode();
        var templateId = (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await api.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/survey-rule", new { templateId, trigger = "resolve", quietDays = 0 })).EnsureSuccessStatusCode();

        // A visitor writes, the agent answers and resolves in the console, the visitor rates 5 stars in the widget.
        var visitor = await VisitorAsync("visitor", "Where is my parcel?");
        var conversationId = await Server.LatestConversationAsync();
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        await AgentSendsAsync(admin, "It left the warehouse today.");
        await admin.GetByTestId("resolve").ClickAsync();
        await Expect(admin.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");
        var survey = visitor.Locator("[data-testid=kefu-survey][data-state=open]");
        await survey.Locator("[data-testid=kefu-survey-score][data-score='5']").ClickAsync();
        await survey.GetByTestId("kefu-survey-submit").ClickAsync();
        await Expect(visitor.Locator("[data-testid=kefu-survey][data-state=answered]")).ToBeVisibleAsync();

        // The durable lane records the answer; the API is the reference the page must match.
        var overview = await UntilAsync(() => GetAsync(api, "/api/v1/reports/overview?from=" + From(7)), o => o.GetProperty("current").GetProperty("csatAnswers").GetInt32() == 1);
        var current = overview.GetProperty("current");
        Assert.Equal(1, current.GetProperty("conversations").GetInt32());

        await admin.GotoAsync("/console/reports");
        await Expect(admin.Locator("[data-testid=reports-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.Locator("[data-testid=overview-tab][data-loaded=true]")).ToBeVisibleAsync();
        foreach (var (card, field) in new[]
                 {
                     ("conversations", "conversations"), ("firstResponseMedian", "firstResponseMedian"), ("firstResponseP90", "firstResponseP90"),
                     ("resolutionMedian", "resolutionMedian"), ("csat", "csat"), ("botContainment", "botContainment"), ("nps", "nps"),
                 })
        {
            await Expect(admin.GetByTestId("metric-" + card)).ToHaveAttributeAsync("data-value", Raw(current.GetProperty(field)));
        }

        await Expect(admin.GetByTestId("metric-csat").GetByTestId("metric-text")).ToHaveTextAsync("100.0%");
        Assert.False(await ScrollsSidewaysAsync(admin));

        // Traffic: the heatmap's cells are the API's hour-of-week counts.
        var traffic = await GetAsync(api, "/api/v1/reports/traffic?from=" + From(7));
        await admin.GetByTestId("report-tab-traffic").ClickAsync();
        var heat = admin.GetByTestId("traffic-heatmap");
        await Expect(heat).ToHaveAttributeAsync("data-total", traffic.GetProperty("conversations").GetInt32().ToString(CultureInfo.InvariantCulture));
        var grid = traffic.GetProperty("hourOfWeek");
        var (day, hour) = Enumerable.Range(0, 7).SelectMany(d => Enumerable.Range(0, 24).Select(h => (d, h))).First(x => grid[x.d][x.h].GetInt32() > 0);
        await Expect(heat.Locator($"[data-testid=heat-cell][data-day='{day}'][data-hour='{hour}']")).ToHaveAttributeAsync("data-count", "1");
        await Expect(admin.GetByTestId("staffing-method")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(admin));

        // Agents: the row is the API's, and the CSV download carries the same numbers.
        var agents = await GetAsync(api, "/api/v1/reports/agents?from=" + From(7));
        var row = agents.GetProperty("agents")[0];
        await admin.GetByTestId("report-tab-agents").ClickAsync();
        var shown = admin.Locator($"[data-testid=agents-table] [data-testid=holder-row][data-id='{row.GetProperty("id").GetGuid()}']");
        await Expect(shown).ToHaveAttributeAsync("data-conversations", row.GetProperty("conversations").GetInt32().ToString(CultureInfo.InvariantCulture));
        await Expect(shown).ToHaveAttributeAsync("data-first-response-median", Raw(row.GetProperty("firstResponseMedian")));
        var download = await admin.RunAndWaitForDownloadAsync(() => admin.GetByTestId("agents-export").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var line = csv.TrimStart('\uFEFF').Split("\r\n").Single(l => l.StartsWith("agent," + row.GetProperty("id").GetGuid(), StringComparison.Ordinal));
        Assert.Equal(row.GetProperty("conversations").GetInt32().ToString(CultureInfo.InvariantCulture), line.Split(',')[3]);

        // Live: nobody waits now; the admin holds no open conversation (it was resolved).
        var live = await GetAsync(api, "/api/v1/routing/overview");
        await admin.GetByTestId("report-tab-live").ClickAsync();
        await Expect(admin.GetByTestId("live-waiting")).ToHaveAttributeAsync("data-value", live.GetProperty("waiting").GetArrayLength().ToString(CultureInfo.InvariantCulture));
        await Expect(admin.GetByTestId("live-open")).ToHaveAttributeAsync("data-value", live.GetProperty("agents").EnumerateArray().Sum(a => a.GetProperty("load").GetInt32()).ToString(CultureInfo.InvariantCulture));
        AssertNoDialogs();
    });

    [Fact]
    public Task RefusedRangeAndStaffingTarget_ShowTheirErrors_AndEveryTabFitsInBothLanguages() => RunAsync(async () =>
    {
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var page = await NewPageAsync("admin-" + locale, locale);
            await SignInAgentAsync(page);
            foreach (var tab in new[] { "overview", "traffic", "agents", "live" })
            {
                await page.GotoAsync("/console/reports/" + tab);
                await Expect(page.Locator($"[data-testid={tab}-tab][data-loaded=true]")).ToBeVisibleAsync();
                await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-reports-{tab}-{locale}.png"), FullPage = true });
                Assert.False(await ScrollsSidewaysAsync(page), $"{tab} scrolls sideways in {locale}");
            }
        }

        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/reports/overview");
        await Expect(admin.Locator("[data-testid=reports-page][data-interactive=true]")).ToBeVisibleAsync(); // prerendered: input before the circuit is lost
        // A tag nobody has: an empty state, not a blank chart (the other test's conversation may be in the range).
        await admin.GetByTestId("report-tag").FillAsync("no-such-tag");
        await admin.GetByTestId("report-tag").PressAsync("Tab");
        await Expect(admin.GetByTestId("overview-empty")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("metric-conversations")).ToHaveAttributeAsync("data-value", "0");

        // A custom range longer than a report may cover: the API's refusal, shown beside the filters.
        await admin.GetByTestId("report-range-custom").ClickAsync();
        await admin.GetByTestId("report-from").Locator("input").FillAsync("2020-01-01");
        await admin.GetByTestId("report-from").Locator("input").PressAsync("Tab");
        await Expect(admin.GetByTestId("report-error")).ToHaveAttributeAsync("data-code", "report_range_too_long");

        // A staffing target out of range: refused next to its field, the forecast shown before stays.
        await admin.GotoAsync("/console/reports/traffic");
        await Expect(admin.Locator("[data-testid=reports-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("staffing-method")).ToBeVisibleAsync();
        await admin.GetByTestId("staffing-weeks").Locator("input").FillAsync("20");
        await admin.GetByTestId("staffing-weeks").Locator("input").PressAsync("Tab");
        await admin.GetByTestId("staffing-run").ClickAsync();
        await Expect(admin.GetByTestId("field-error-weeks")).ToHaveTextAsync("Enter 1 to 8 weeks.");
        await Expect(admin.GetByTestId("staffing-method")).ToBeVisibleAsync();
        AssertNoDialogs();
    });

    private static string From(int days) => Uri.EscapeDataString(DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));

    private static string Raw(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "" : value.GetDouble().ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonElement> GetAsync(HttpClient api, string url) => await api.GetFromJsonAsync<JsonElement>(url);

    /// <summary>Reads until <paramref name="done"/> holds, for at most the test timeout: the durable lane is asynchronous.</summary>
    private static Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done) =>
        Wait.ForAsync(read, done, "the report to show the answer", Timeout / 1000.0);
}
