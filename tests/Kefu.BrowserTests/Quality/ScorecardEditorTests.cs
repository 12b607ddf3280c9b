using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Quality;

/// <summary>
/// The scorecard editor: an admin builds a scorecard (the server's refusal shown on its item), a conversation resolved
/// after it is scored by it, and the conversation view shows that score with a link to the deciding message.
/// </summary>
public sealed class ScorecardEditorTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task AnAdminBuildsAScorecard_ARefusedItemShowsItsError_AConversationResolvedAfterIsScoredByIt_AndItsViewShowsTheScore() => RunAsync(async () =>
    {
        var name = "Browser QA " + Guid.NewGuid().ToString("N")[..6];
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/quality");
        await Expect(admin.Locator("[data-testid=quality-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("quality-scorecards-link").ClickAsync();
        await Expect(admin.Locator("[data-testid=scorecards-page][data-interactive=true]")).ToBeVisibleAsync();

        // A greeting item (the default first row) and a forbidden-words item whose weight is refused by the server.
        await admin.GetByTestId("scorecard-new").ClickAsync();
        await admin.GetByTestId("scorecard-name").FillAsync(name);
        var greeting = admin.Locator("[data-testid=scorecard-item][data-index='0']");
        await greeting.Locator("[data-testid=scorecard-item-seconds] input").FillAsync("600"); // a slow machine still greets in time
        await greeting.Locator("[data-testid=scorecard-item-seconds] input").PressAsync("Tab");
        await admin.GetByTestId("scorecard-add-item").ClickAsync();
        var forbidden = admin.Locator("[data-testid=scorecard-item][data-index='1']");
        await RadzenInputs.ChooseAsync(admin, "scorecard-item-rule", QualityRules.ForbiddenWords, forbidden);
        await forbidden.GetByTestId("scorecard-item-phrases").FillAsync("不知道\nnot my problem");
        await forbidden.Locator("[data-testid=scorecard-item-weight] input").FillAsync("0");
        await forbidden.Locator("[data-testid=scorecard-item-weight] input").PressAsync("Tab");
        await admin.GetByTestId("scorecard-save").ClickAsync();
        await Expect(forbidden.GetByTestId("scorecard-item-error")).ToContainTextAsync("weight");
        await Expect(greeting.GetByTestId("scorecard-item-error")).ToHaveCountAsync(0);
        Assert.False(await Server.DbAsync(db => db.Set<Scorecard>().AnyAsync(s => s.Name == name)), "a refused scorecard is not stored");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-quality-editor-en-US.png") });
        Assert.False(await ScrollsSidewaysAsync(admin));

        await forbidden.Locator("[data-testid=scorecard-item-weight] input").FillAsync("5");
        await forbidden.Locator("[data-testid=scorecard-item-weight] input").PressAsync("Tab");
        await admin.GetByTestId("scorecard-save").ClickAsync();
        var card = admin.Locator("[data-testid=scorecard]").Filter(new() { Has = admin.GetByTestId("scorecard-title").GetByText(name) });
        await Expect(card).ToBeVisibleAsync();
        var cardId = await Server.DbAsync(db => db.Set<Scorecard>().Where(s => s.Name == name).Select(s => s.Id).SingleAsync());

        // A visitor writes, the admin answers with a forbidden phrase and resolves: the durable lane scores it by the new card.
        await VisitorAsync("visitor", "Where is my parcel?");
        var conversationId = await Server.LatestConversationAsync();
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        await AgentSendsAsync(admin, "Hello! Sorry, that is not my problem.");
        await admin.GetByTestId("resolve").ClickAsync();
        await Expect(admin.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");
        var score = await Wait.ForAsync(
            () => Server.DbAsync(db => db.Set<QualityScore>().AsNoTracking().FirstOrDefaultAsync(s => s.ScorecardId == cardId && s.ConversationId == conversationId)),
            s => s is not null, "the resolved conversation's score by the new scorecard");
        var items = QualityJson.Results(score!.Items);
        Assert.Equal(new[] { QualityRules.Greeting, QualityRules.ForbiddenWords }, items.Select(i => i.Rule));
        Assert.Equal(ItemOutcomes.Pass, items[0].Outcome);
        var stored = QualityJson.Items(await Server.DbAsync(db => db.Set<ScorecardVersion>().Where(v => v.ScorecardId == cardId).Select(v => v.Items).SingleAsync()));
        Assert.Equal(600, stored[0].Parameters?.Seconds);
        Assert.Equal(ItemOutcomes.Fail, items[1].Outcome);
        Assert.NotNull(items[1].MessageId);
        Assert.Equal(66.7, score.Score!.Value); // the greeting (weight 10) passed, the forbidden words (weight 5) failed

        // The conversation view, still open, shows the score once the lane wrote it; the failed item leads to its message.
        var panel = admin.Locator($"[data-testid=conversation-quality-score][data-score-id='{score.Id}']");
        await Expect(panel.GetByTestId("conversation-quality-value")).ToHaveTextAsync("66.7");
        var failed = panel.Locator("[data-testid=conversation-quality-item][data-index='1']");
        await Expect(failed).ToHaveAttributeAsync("data-outcome", ItemOutcomes.Fail);
        await failed.GetByTestId("conversation-quality-message").ClickAsync();
        await Expect(admin.Locator($"[data-testid=message][data-message-id='{items[1].MessageId}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("quality-focus"));
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-quality-conversation-en-US.png") });
        Assert.False(await ScrollsSidewaysAsync(admin));

        // The editor in Chinese at 1280×800: the card opens with its items and parameters.
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAsync(zh, KefuServer.AdminEmail, KefuServer.AdminPassword);
        await zh.GotoAsync("/console/quality/scorecards");
        await Expect(zh.Locator("[data-testid=scorecards-page][data-interactive=true]")).ToBeVisibleAsync();
        await zh.Locator("[data-testid=scorecard]").Filter(new() { Has = zh.GetByTestId("scorecard-title").GetByText(name) }).GetByTestId("scorecard-edit").ClickAsync();
        await Expect(zh.GetByTestId("scorecard-item")).ToHaveCountAsync(2);
        await Expect(zh.Locator("[data-testid=scorecard-item][data-index='1'] [data-testid=scorecard-item-phrases]")).ToHaveValueAsync("不知道\nnot my problem");
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-quality-editor-zh-CN.png") });
        Assert.False(await ScrollsSidewaysAsync(zh));
        AssertNoDialogs();
    });
}
