using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>On a 390×844 phone the workspace shows the list or one conversation: list → conversation → back.</summary>
public sealed class PhoneLayoutTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Phone_ListThenConversationThenBack_WithoutSidewaysScrolling() => RunAsync(async () =>
    {
        await VisitorAsync("visitor", "Hi from my phone");
        var conversationId = await Server.LatestConversationAsync();
        var agent = await NewPageAsync("agent");
        await agent.SetViewportSizeAsync(390, 844);
        await SignInAgentAsync(agent);

        var item = Item(agent, conversationId);
        await Expect(item).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("select-conversation")).ToBeHiddenAsync();
        Assert.False(await ScrollsSidewaysAsync(agent), "the list scrolls sideways on a phone");

        await item.ClickAsync();
        await agent.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await Expect(agent.GetByTestId("conversation-list")).ToBeHiddenAsync();
        await Expect(agent.GetByTestId("composer")).ToBeInViewportAsync();
        await AgentSendsAsync(agent, "Hello! How can I help?");
        var send = await agent.GetByTestId("send").BoundingBoxAsync();
        Assert.True(send!.X + send.Width <= 390 && send.Y + send.Height <= 844, "the send button is off screen");
        Assert.False(await ScrollsSidewaysAsync(agent), "the conversation scrolls sideways on a phone");

        await agent.GetByTestId("back-to-list").ClickAsync();
        await agent.WaitForURLAsync("**/console");
        await Expect(item).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("composer")).ToHaveCountAsync(0);
    });
}
