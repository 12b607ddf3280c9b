using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Surveys;

/// <summary>A survey end to end: set up in the console, sent when the agent resolves, answered in the widget, and a low score rings the lead's bell.</summary>
public sealed class SurveyFlowTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task VisitorAnswersTheCsatSurveyAfterTheAgentResolves_AndTheLowScoreReachesTheLeadsBell() => RunAsync(async () =>
    {
        // The admin sets up a CSAT survey with low-score recovery and sends it from the demo inbox on resolve.
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/surveys");
        await Expect(admin.Locator("[data-testid=surveys-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("survey-new").ClickAsync();
        await admin.GetByTestId("survey-name").FillAsync("After chat");
        await admin.GetByTestId("survey-question-en").FillAsync("How did we do?");
        await admin.GetByTestId("survey-question-zh").FillAsync("您对本次服务满意吗？");
        await admin.GetByTestId("survey-threshold").Locator("input").FillAsync("9");
        await admin.GetByTestId("survey-save").ClickAsync();
        await Expect(admin.GetByTestId("field-error-lowScoreThreshold")).ToBeVisibleAsync(); // 9 is off a 1–5 scale: refused beside the field
        Assert.Equal(0, await Server.DbAsync(db => db.SurveyTemplates.CountAsync()));
        await admin.GetByTestId("survey-threshold").Locator("input").FillAsync("2");
        await admin.GetByTestId("survey-save").ClickAsync();
        var row = admin.GetByTestId("survey-template-row");
        await Expect(row).ToHaveCountAsync(1);
        var templateId = await row.GetAttributeAsync("data-template-id");

        await admin.GetByRole(AriaRole.Tab, new() { Name = "Inbox rules" }).ClickAsync();
        var inboxId = await Server.DbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        var rule = admin.Locator($"[data-testid=survey-rule-row][data-inbox-id='{inboxId}']");
        await RadzenInputs.ChooseAsync(admin, "survey-rule-template", templateId!, rule);
        await rule.GetByTestId("survey-rule-save").ClickAsync();
        await Expect(rule.GetByTestId("survey-rule-status")).ToHaveTextAsync("Saved.");
        Assert.False(await ScrollsSidewaysAsync(admin));

        // The team lead is a supervisor, signed in elsewhere.
        var (leadId, leadEmail) = await Server.CreateAgentAsync("Lena Lead");
        await Server.DbAsync(db => db.Users.Where(u => u.Id == leadId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Supervisor)));
        Server.Services.GetRequiredService<IAccessControl>().Invalidate(await Server.DbAsync(db => db.Tenants.Select(t => t.Id).FirstAsync()));
        var lead = await SignInAsAsync("lead", leadEmail);

        // The visitor writes; the agent resolves from the console; the survey appears in the visitor's conversation.
        var visitor = await VisitorAsync("visitor", "My parcel arrived broken");
        var conversationId = await Server.LatestConversationAsync();
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        await admin.GetByTestId("resolve").ClickAsync();
        await Expect(admin.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");

        var survey = visitor.Locator("[data-testid=kefu-survey][data-state=open]");
        await Expect(survey).ToBeVisibleAsync();
        await Expect(survey.GetByTestId("kefu-survey-question")).ToHaveTextAsync("How did we do?");
        await Expect(survey.GetByTestId("kefu-survey-submit")).ToBeDisabledAsync();
        await survey.Locator("[data-testid=kefu-survey-score][data-score='1']").ClickAsync();
        await survey.GetByTestId("kefu-survey-submit").ClickAsync();
        var answered = visitor.Locator("[data-testid=kefu-survey][data-state=answered]");
        await Expect(answered.GetByTestId("kefu-survey-thanks")).ToBeVisibleAsync();
        await Expect(answered.GetByTestId("kefu-survey-change")).ToBeVisibleAsync();

        // The low score reaches the lead's bell, live.
        await Expect(lead.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await lead.GetByTestId("bell-button").ClickAsync();
        var line = lead.Locator("[data-testid=bell-item][data-kind=lowscore]");
        await Expect(line).ToHaveAttributeAsync("data-conversation-id", conversationId.ToString());
        await Expect(line.Locator(".what")).ToContainTextAsync("gave a low score");
        AssertNoDialogs();
    });

    [Fact]
    public Task SettingsPage_LaysOutWithoutSidewaysScroll_InEnglishAndChinese() => RunAsync(async () =>
    {
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var page = await NewPageAsync("settings-" + locale, locale);
            await SignInAgentAsync(page);
            await page.GotoAsync("/console/settings/surveys");
            await Expect(page.Locator("[data-testid=surveys-page][data-interactive=true]")).ToBeVisibleAsync();
            await page.GetByTestId("survey-new").ClickAsync();
            await Expect(page.GetByTestId("survey-form")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-surveys-{locale}.png"), FullPage = true });
            Assert.False(await ScrollsSidewaysAsync(page), locale);
        }
    });
}
