using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>
/// An agent sets a conversation's priority from its header (by mouse or the <c>p</c> shortcut) and other consoles see it
/// live; the list counts a waiting visitor's time from when they entered the line; the queue board labels every figure.
/// </summary>
public sealed class PriorityAndQueueLabelTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Agent_SetsPriorityWithTheShortcut_TheTimelineSaysSo_AndAnotherConsoleSeesItLive() => RunAsync(async () =>
    {
        await Server.RouteAsync(AssignmentMode.Manual);
        await VisitorAsync("visitor", "My parcel never arrived");
        var conversationId = await Server.LatestConversationAsync();
        var (_, email) = await Server.CreateAgentAsync("Wendy Watcher");
        var watcher = await SignInAsAsync("watcher", email);
        await Expect(Item(watcher, conversationId)).ToBeVisibleAsync();
        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);
        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);
        var header = agent.Locator(".conversation-header");
        await Expect(header.GetByTestId("priority")).ToHaveTextAsync("Normal");

        await agent.GetByTestId("conversation-title").ClickAsync();
        await agent.Keyboard.PressAsync("p");
        var urgent = agent.Locator("[data-testid=priority-option][data-priority=urgent]");
        await Expect(urgent).ToBeVisibleAsync();
        await urgent.ClickAsync();

        await Expect(header.GetByTestId("priority")).ToHaveTextAsync("Urgent");
        await Expect(agent.Locator($"[data-testid=timeline-event][data-type='{ConversationPriorityChanged.Name}']")).ToContainTextAsync("Urgent");
        await Expect(agent.Locator($"[data-testid=timeline-event][data-type='{ConversationPriorityChanged.Name}']")).ToContainTextAsync("set by an agent");
        await Expect(Item(watcher, conversationId)).ToHaveAttributeAsync("data-priority", "urgent");
        await Expect(Item(watcher, conversationId).GetByTestId("priority")).ToHaveTextAsync("Urgent");
        Assert.Equal(ConversationPriority.Urgent, await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.Priority).SingleAsync()));
        Assert.False(await ScrollsSidewaysAsync(agent), "the workspace scrolls sideways");

        await agent.Keyboard.PressAsync("?");
        await Expect(agent.GetByTestId("shortcut-help")).ToContainTextAsync("Change the priority");
        await agent.Keyboard.PressAsync("Escape");

        var zh = await NewPageAsync("agent-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(zh);
        await Expect(zh.Locator(".conversation-header").GetByTestId("priority")).ToHaveAttributeAsync("data-priority", "urgent");
        Assert.False(await ScrollsSidewaysAsync(zh), "the workspace scrolls sideways in Chinese");
        // Keys pressed after the choice (?, Escape) went to the shortcuts, not into the control: one change, no more.
        Assert.Equal(1, await Server.DbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversationId && e.Type == ConversationPriorityChanged.Name)));
        await Shot(agent, "priority-en");
        await Shot(zh, "priority-zh");
    });

    [Fact]
    public Task WaitingVisitorWhoWritesAgain_KeepsTheirWaitingTime_AndTheQueueBoardLabelsEachFigure() => RunAsync(async () =>
    {
        await Server.RouteAsync(AssignmentMode.Manual);
        var widget = await VisitorAsync("visitor", "Hello?");
        var conversationId = await Server.LatestConversationAsync();
        var since = await WaitForQueueAsync(conversationId);
        // The visitor entered the line ten minutes ago (moved back in the database: the browser's clock is real).
        await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).ExecuteUpdateAsync(s => s.SetProperty(c => c.WaitingSince, since.AddMinutes(-10))));
        await Server.DbAsync(db => db.QueueEntries.Where(q => q.ConversationId == conversationId).ExecuteUpdateAsync(s => s.SetProperty(q => q.EnqueuedAt, since.AddMinutes(-10))));
        await VisitorSendsAsync(widget, "Still there?");

        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);
        await Expect(Item(agent, conversationId).GetByTestId("conversation-preview")).ToHaveTextAsync("Still there?");
        await Expect(Item(agent, conversationId).GetByTestId("conversation-waiting")).ToHaveTextAsync(new Regex("waiting 1[01]m"));

        await agent.GotoAsync("/console/routing");
        await WaitInteractiveAsync(agent);
        var card = agent.GetByTestId("queue-row").First;
        await Expect(card.Locator("dt")).ToHaveTextAsync(["Visitors waiting", "Longest wait", "Left a message"]);
        await Expect(card.GetByTestId("queue-waiting")).ToHaveTextAsync("1");
        await Expect(card.GetByTestId("queue-longest")).ToHaveTextAsync(new Regex("^1[01]m"));
        Assert.False(await ScrollsSidewaysAsync(agent), "the queue board scrolls sideways");

        var zh = await NewPageAsync("agent-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/routing");
        await WaitInteractiveAsync(zh);
        var labels = await zh.GetByTestId("queue-row").First.Locator("dt").AllInnerTextsAsync();
        Assert.Equal(3, labels.Count);
        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l)));
        Assert.DoesNotContain("Visitors waiting", labels);
        Assert.False(await ScrollsSidewaysAsync(zh), "the queue board scrolls sideways in Chinese");
        await Shot(agent, "queue-board-en");
        await Shot(zh, "queue-board-zh");
    });

    private async Task<DateTime> WaitForQueueAsync(Guid conversationId)
    {
        DateTime? since = null;
        await Wait.UntilAsync(async () => (since = await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.WaitingSince).SingleAsync())) is not null,
            "the visitor enters the line");
        return since!.Value;
    }

    /// <summary>A look at the page for a person checking the layout (written only when KEFU_SHOTS names a folder).</summary>
    private static async Task Shot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }
}
