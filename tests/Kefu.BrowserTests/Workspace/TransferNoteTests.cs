using Kefu.BrowserTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>A transfer with a note: the receiver is told in the bell and reads the note on top of the conversation and in its timeline.</summary>
public sealed class TransferNoteTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task TransferWithANote_ShowsTheNoteToTheReceiver() => RunAsync(async () =>
    {
        const string Note = "Refund approved — please send the return label.";
        var (receiverId, email) = await Server.CreateAgentAsync("Rita Receiver");
        var receiver = await SignInAsAsync("receiver", email);
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await VisitorAsync("visitor", "My parcel arrived broken");
        var conversationId = await Server.LatestConversationAsync();

        await Item(admin, conversationId).ClickAsync();
        await admin.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await AgentSendsAsync(admin, "Sorry to hear that, let me get a colleague.");
        await admin.GetByTestId("transfer").ClickAsync();
        await Expect(admin.GetByTestId("transfer-dialog")).ToBeVisibleAsync();
        await admin.GetByTestId("transfer-agent").ClickAsync();
        var option = admin.Locator($"[data-testid=transfer-agent-option][data-agent-id='{receiverId}']");
        await Expect(option).ToHaveAttributeAsync("data-available", "true");
        await option.ClickAsync();
        await admin.GetByTestId("transfer-note").FillAsync(Note);
        await admin.GetByTestId("transfer-submit").ClickAsync();
        await Expect(admin.GetByTestId("transfer-dialog")).ToHaveCountAsync(0);
        Assert.Equal(receiverId, await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AssigneeId).SingleAsync()));

        // The receiver hears of it in the bell, opens it from there and reads the note first.
        await Expect(receiver.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await receiver.GetByTestId("bell-button").ClickAsync();
        await receiver.Locator($"[data-testid=bell-item][data-kind=transfer][data-conversation-id='{conversationId}']").ClickAsync();
        await receiver.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await Expect(receiver.GetByTestId("transfer-note-text")).ToHaveTextAsync(Note);
        await Expect(receiver.GetByTestId("transfer-note-from")).ToContainTextAsync("Note from");
        await Expect(receiver.GetByTestId("timeline-note")).ToHaveTextAsync(Note);
        await Expect(receiver.GetByTestId("bell-count")).ToHaveCountAsync(0);

        // It is theirs now: in their Mine view, with the admin's reply above the composer.
        await Expect(Item(receiver, conversationId)).ToHaveCountAsync(1);
        await Expect(receiver.GetByTestId("view-mine").GetByTestId("view-count")).ToHaveTextAsync("1");
    });
}
