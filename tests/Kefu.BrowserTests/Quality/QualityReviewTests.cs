using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Quality;

/// <summary>The quality page: a supervisor overrides an item with a comment and writes a coaching note; the scored agent sees it.</summary>
public sealed class QualityReviewTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task SupervisorOverridesAnItem_AndTheAgentSeesTheCoachingNote_InEnglishAndChinese() => RunAsync(async () =>
    {
        var (agentId, agentEmail) = await Server.CreateAgentAsync("Amy Agent");
        await VisitorAsync("visitor", "Where is my parcel?");
        var conversationId = await Server.LatestConversationAsync();
        var scoreId = await SeedScoreAsync(conversationId, agentId);

        // The admin (who may supervise) overrides the greeting item with a comment, then writes a note.
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/quality");
        await Expect(admin.Locator("[data-testid=quality-page][data-interactive=true]")).ToBeVisibleAsync();
        var card = admin.Locator($"[data-testid=quality-score][data-score-id='{scoreId}']");
        await Expect(card.GetByTestId("quality-score-value")).ToHaveTextAsync("25");
        var greeting = card.Locator("[data-testid=quality-item][data-index='0']");
        await greeting.Locator("[data-testid=quality-override][data-outcome=pass]").ClickAsync();
        await Expect(card.GetByTestId("quality-error")).ToBeVisibleAsync(); // no comment yet: refused, nothing changed
        await card.GetByTestId("quality-override-input").FillAsync("The visitor wrote first in another channel");
        await card.GetByTestId("quality-override-input").PressAsync("Tab");
        await greeting.Locator("[data-testid=quality-override][data-outcome=pass]").ClickAsync();
        await Expect(greeting).ToHaveAttributeAsync("data-outcome", "pass");
        await Expect(card.GetByTestId("quality-score-value")).ToHaveTextAsync("100");
        await Expect(card.GetByTestId("quality-auto-score")).ToContainTextAsync("25");
        await card.GetByTestId("quality-note-input").FillAsync("Greet within 30 seconds, even when busy.");
        await card.GetByTestId("quality-note-input").PressAsync("Tab");
        await card.GetByTestId("quality-note-save").ClickAsync();
        await Expect(card.GetByTestId("quality-error")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-quality-review-en-US.png"), FullPage = true });
        Assert.False(await ScrollsSidewaysAsync(admin));

        // The agent sees their score and the note, in English and Chinese.
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var agent = await SignInAsAsync("agent-" + locale, agentEmail, locale);
            await agent.GotoAsync("/console/quality");
            await Expect(agent.Locator("[data-testid=quality-page][data-interactive=true]")).ToBeVisibleAsync();
            var mine = agent.Locator($"[data-testid=quality-score][data-score-id='{scoreId}']");
            await Expect(mine.GetByTestId("quality-coaching-note")).ToContainTextAsync("Greet within 30 seconds, even when busy.");
            await Expect(mine.GetByTestId("quality-override-comment")).ToContainTextAsync("The visitor wrote first in another channel");
            await Expect(mine.GetByTestId("quality-override")).ToHaveCountAsync(0);
            await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-quality-agent-{locale}.png"), FullPage = true });
            Assert.False(await ScrollsSidewaysAsync(agent), locale);
        }

        AssertNoDialogs();
    });

    /// <summary>A score as the durable lane stores it (the scoring itself is tested in the integration tests): greeting failed, no personal data passed.</summary>
    private async Task<Guid> SeedScoreAsync(Guid conversationId, Guid agentId)
    {
        var conversation = await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => new { c.TenantId, c.InboxId }).FirstAsync());
        var (tenant, inbox) = (conversation.TenantId, conversation.InboxId);
        var card = new Scorecard { Id = Guid.CreateVersion7(), TenantId = tenant, Name = "Chat QA", Version = 1, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        ScorecardItem[] items = [new(QualityRules.Greeting, 3, "Greeting", new(Seconds: 30)), new(QualityRules.NoPersonalData, 1, "No personal data")];
        var version = new ScorecardVersion { Id = Guid.CreateVersion7(), ScorecardId = card.Id, TenantId = tenant, Version = 1, Items = QualityJson.Items(items), CreatedAt = DateTime.UtcNow };
        card.VersionId = version.Id;
        List<ItemResultDto> results = [new(0, QualityRules.Greeting, "Greeting", 3, ItemOutcomes.Fail, null, "45 s"), new(1, QualityRules.NoPersonalData, "No personal data", 1, ItemOutcomes.Pass, null, null)];
        var score = new QualityScore
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, ConversationId = conversationId, InboxId = inbox, ScorecardId = card.Id, ScorecardVersionId = version.Id, Version = 1,
            AgentId = agentId, Score = 25, AutoScore = 25, Items = QualityJson.Results(results), ResolvedAt = DateTime.UtcNow, ScoredAt = DateTime.UtcNow,
        };
        await Server.DbAsync(async db =>
        {
            db.AddRange(card, version, score);
            return await db.SaveChangesAsync();
        });
        return score.Id;
    }
}
