using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Accounts;

/// <summary>The console's audit log: what an admin did in the console shows up, filters narrow it, more loads, export links.</summary>
public sealed class AuditPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task AuditPage_ShowsConsoleActions_FiltersByGroupOutcomeAndDate_LoadsMore_AndExports() => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/knowledge/new");
        await Expect(page.Locator("[data-testid=knowledge-edit-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("kb-question").FillAsync("Where is my parcel?");
        await page.GetByTestId("kb-answer").FillAsync("It is on its way.");
        await page.GetByTestId("kb-save").ClickAsync();
        await Expect(page.GetByTestId("kb-saved")).ToBeVisibleAsync();
        await SeedAsync(60, AuditActions.SettingChanged);

        await page.GetByTestId("nav-audit").ClickAsync();
        await Expect(page.Locator("[data-testid=audit-page][data-interactive=true]")).ToBeVisibleAsync();

        var created = page.Locator("[data-testid=audit-row][data-action='article.created']");
        await Expect(created).ToHaveCountAsync(1);
        await Expect(created.GetByTestId("audit-actor-name")).ToHaveTextAsync("Admin");
        await Expect(created.GetByTestId("audit-action")).ToHaveTextAsync("Article created");
        await Expect(created.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("audit-page.png") });

        await RadzenInputs.ChooseAsync(page, "audit-group", "setting.");
        var rows = page.GetByTestId("audit-row");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(page.Locator("[data-testid=audit-row]:not([data-action='setting.changed'])")).ToHaveCountAsync(0);
        await page.GetByTestId("audit-load-more").ClickAsync();
        await Expect(rows).ToHaveCountAsync(60);
        await Expect(page.GetByTestId("audit-load-more")).ToHaveCountAsync(0);

        await RadzenInputs.ChooseAsync(page, "audit-outcome", "failed");
        await Expect(page.GetByTestId("audit-empty")).ToBeVisibleAsync();
        await RadzenInputs.ChooseAsync(page, "audit-outcome", "");
        await RadzenInputs.ChooseAsync(page, "audit-group", "article.");
        await Expect(rows).ToHaveCountAsync(1);

        var href = await page.GetByTestId("audit-export").GetAttributeAsync("href");
        Assert.Contains("action=article.", href);
        var export = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, export.Status);
        var csv = await export.TextAsync();
        Assert.Contains(",article.created,article,", csv);
        Assert.DoesNotContain("setting.changed", csv);

        var today = await RadzenInputs.DateBox(page, "audit-to").InputValueAsync();
        await RadzenInputs.TypeDateAsync(page, "audit-from", DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd"));
        await Expect(page.GetByTestId("audit-range-error")).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(0);
        AssertNoDialogs();
    });

    [Fact]
    public Task AuditPage_InChinese_NamesActionsInChinese() => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(page);
        await page.GotoAsync("/console/audit");
        await Expect(page.Locator("[data-testid=audit-page][data-interactive=true]")).ToBeVisibleAsync();
        await SeedAsync(1, AuditActions.TeamCreated); // its own group: the other test counts setting changes
        await RadzenInputs.ChooseAsync(page, "audit-group", "team.");

        await Expect(page.Locator("h1")).ToHaveTextAsync("审计日志");
        await Expect(page.GetByTestId("audit-action").First).ToHaveTextAsync("创建团队");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("audit-page-zh.png") });
    });

    private async Task SeedAsync(int count, string action)
    {
        await using var db = await Server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        var admin = await db.Users.SingleAsync(u => u.Email == KefuServer.AdminEmail);
        var now = DateTime.UtcNow;
        db.AuditEntries.AddRange(Enumerable.Range(0, count).Select(i => new AuditEntry
        {
            TenantId = admin.TenantId, OccurredAt = now.AddHours(-1).AddSeconds(-i), ActorId = admin.Id, ActorName = admin.DisplayName,
            Action = action, TargetType = "inbox", TargetId = Guid.NewGuid().ToString(), Detail = "bot.enabled=true",
            Outcome = AuditOutcome.Succeeded, ClientIp = "127.0.0.1",
        }));
        await db.SaveChangesAsync();
    }

    private string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        Log("screenshot: " + path);
        return path;
    }
}
