using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>The queue board names each waiting visitor with reason, priority and wait, and a supervisor reassigns by picking, not pasting ids.</summary>
public sealed class QueueBoardTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task WaitingVisitor_ShowsNameReasonPriorityAndWait_AndIsReassignedInADialog() => RunAsync(async () =>
    {
        await Server.RouteAsync(AssignmentMode.Manual);
        var (agentId, email) = await Server.CreateAgentAsync("Quinn Queue");
        await SignInAsAsync("agent", email); // online and connected: a reassignment may go to them
        await VisitorAsync("visitor", "Is anyone there?");
        var conversationId = await Server.LatestConversationAsync();
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/routing");
        await WaitInteractiveAsync(admin);

        var row = admin.Locator($"[data-testid=waiting-item][data-conversation-id='{conversationId}']");
        await Expect(row.GetByTestId("waiting-name")).ToHaveTextAsync(new Regex("^Visitor [0-9A-F]{4}$"));
        await Expect(row.GetByTestId("waiting-reason")).ToHaveAttributeAsync("data-reason", "new");
        await Expect(row.GetByTestId("priority")).ToHaveTextAsync("Normal");
        await Expect(row.GetByTestId("waiting-time")).ToHaveTextAsync(new Regex(@"^\d+s$|^\d+m \d+s$"));
        Assert.False(await ScrollsSidewaysAsync(admin), "the queue board scrolls sideways");

        await row.GetByTestId("reassign-open").ClickAsync();
        await Expect(admin.GetByTestId("reassign-dialog")).ToBeVisibleAsync();
        await admin.GetByTestId("reassign-agent").ClickAsync();
        await admin.Locator($"[data-testid=reassign-agent-option][data-agent-id='{agentId}']").ClickAsync();
        await admin.GetByTestId("reassign-submit").ClickAsync();
        await Expect(admin.GetByTestId("reassign-dialog")).ToHaveCountAsync(0);

        Assert.Equal(agentId, await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AssigneeId).SingleAsync()));
        await Expect(row).ToHaveCountAsync(0);
    });
}
