using Kefu.BrowserTests.Infrastructure;

namespace Kefu.BrowserTests.Workspace;

/// <summary>Browser tests of the agent workspace: signs in agents made by <see cref="WorkspaceRig"/> and opens visitors.</summary>
public abstract class WorkspaceTest(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    protected async Task<IPage> SignInAsAsync(string name, string email, string locale = "en-US", Func<IPage, Task>? before = null)
    {
        var page = await NewPageAsync(name, locale);
        if (before is not null)
        {
            await before(page);
        }

        await page.GotoAsync("/console/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(WorkspaceRig.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>A visitor on the demo shop who has written <paramref name="text"/> (acknowledged).</summary>
    protected async Task<IFrameLocator> VisitorAsync(string name, string text)
    {
        var page = await NewPageAsync(name);
        var widget = await OpenWidgetAsync(page);
        await VisitorSendsAsync(widget, text);
        return widget;
    }

    /// <summary>True when the page scrolls sideways (it never should).</summary>
    protected static Task<bool> ScrollsSidewaysAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");

    /// <summary>The conversation item of <paramref name="conversationId"/> in the console's list.</summary>
    protected static ILocator Item(IPage page, Guid conversationId) =>
        page.Locator($"[data-testid=conversation-item][data-conversation-id='{conversationId}']");
}
