using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Security;

/// <summary>The console-cookie origin check lets the real console through: its circuit, its replies and its sign-out form.</summary>
public sealed class ConsoleOriginTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Console_FromItsOwnOrigin_RepliesAndSignsOut() => RunAsync(async () =>
    {
        var visitor = await NewPageAsync("visitor");
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, "origin check hello");
        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);
        await agent.GetByTestId("conversation-item").First.ClickAsync();
        await AgentSendsAsync(agent, "origin check reply");
        await Expect(WidgetMessages(widget, "origin check reply", "agent")).ToHaveCountAsync(1);

        await agent.GetByTestId("sign-out").ClickAsync();

        await Expect(agent.GetByTestId("login-submit")).ToBeVisibleAsync();
        Assert.DoesNotContain(await agent.Context.CookiesAsync(), c => c.Name == "kefu.auth");
        AssertNoDialogs();
    });
}
