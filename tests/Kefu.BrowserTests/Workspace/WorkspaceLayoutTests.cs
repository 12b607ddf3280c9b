using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Conversations.Contracts;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>The workspace at 1280×800: one screen without sideways scrolling, a composer that stays put, views with counts, shortcuts, priority and status.</summary>
public sealed class WorkspaceLayoutTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task TenReplies_KeepTheComposerOnScreen_ShortcutsWork_AndTheContactPanelFollowsResolve() => RunAsync(async () =>
    {
        await VisitorAsync("visitor", "Hello, is my order on its way?");
        var conversationId = await Server.LatestConversationAsync();
        await Server.SetPriorityAsync(conversationId, ConversationPriority.High);
        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);

        // Nothing of the admin's own yet: the widest view opens, and each view counts its open conversations.
        await Expect(agent.GetByTestId("view-all")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(agent.GetByTestId("view-mine").GetByTestId("view-count")).ToHaveTextAsync("0");
        await Expect(agent.GetByTestId("view-unassigned").GetByTestId("view-count")).ToHaveTextAsync("1");
        var item = Item(agent, conversationId);
        await Expect(item).ToHaveAttributeAsync("data-priority", "high");
        await Expect(item.GetByTestId("priority")).ToHaveTextAsync("High");
        await Expect(item.GetByTestId("conversation-name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Visitor [0-9A-F]{4}$"));
        await Expect(item.GetByTestId("conversation-channel")).ToContainTextAsync("Website widget");
        await Expect(item.GetByTestId("conversation-waiting")).ToContainTextAsync("waiting");

        await item.ClickAsync();
        await agent.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await Expect(agent.Locator(".conversation-header").GetByTestId("priority")).ToHaveTextAsync("High");
        for (var i = 1; i <= 10; i++)
        {
            await AgentSendsAsync(agent, $"Reply number {i} with enough words to take some room on the screen.");
        }

        // The reply assigned it to the admin: Mine counts it, live.
        await Expect(agent.GetByTestId("view-mine").GetByTestId("view-count")).ToHaveTextAsync("1");
        await AssertOneScreenAsync(agent);
        var list = await agent.GetByTestId("message-list").EvaluateAsync<int[]>("e => [e.scrollHeight, e.clientHeight, e.scrollTop]");
        Assert.True(list[0] > list[1], "ten replies overflow the message list, which scrolls by itself");
        Assert.True(list[2] > 0, "the list is scrolled to the newest reply");

        // Shortcuts: ? lists them, r goes to the composer, keys typed there stay text, e resolves.
        await agent.GetByTestId("conversation-title").ClickAsync();
        await agent.Keyboard.PressAsync("?");
        await Expect(agent.GetByTestId("shortcut-help")).ToBeVisibleAsync();
        await agent.Keyboard.PressAsync("Escape");
        await Expect(agent.GetByTestId("shortcut-help")).ToHaveCountAsync(0);
        await agent.Keyboard.PressAsync("r");
        await Expect(agent.GetByTestId("composer")).ToBeFocusedAsync();
        await agent.Keyboard.TypeAsync("jke");
        await Expect(agent.GetByTestId("composer")).ToHaveValueAsync("jke");
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "open");
        await agent.GetByTestId("composer").FillAsync("");
        await agent.GetByTestId("conversation-title").ClickAsync();
        await agent.Keyboard.PressAsync("e");
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");

        // The contact panel's list of conversations follows the resolve without a reload.
        await Expect(agent.Locator($"[data-testid=past-conversation][data-conversation-id='{conversationId}']").GetByTestId("past-conversation-status"))
            .ToHaveAttributeAsync("data-status", "resolved");
    });

    /// <summary>The page does not scroll sideways, and the composer and its send button are inside the 1280×800 viewport.</summary>
    private static async Task AssertOneScreenAsync(IPage page)
    {
        Assert.False(await ScrollsSidewaysAsync(page), "the page scrolls sideways");
        foreach (var id in new[] { "composer", "send" })
        {
            var box = await page.GetByTestId(id).BoundingBoxAsync() ?? throw new InvalidOperationException(id + " is not rendered");
            Assert.True(box.Y >= 0 && box.Y + box.Height <= 800 && box.X >= 0 && box.X + box.Width <= 1280,
                $"{id} at ({box.X}, {box.Y}) size {box.Width}×{box.Height} is outside the 1280×800 viewport");
        }

        Assert.Equal(0, await page.EvaluateAsync<double>("() => window.scrollY"));
    }
}
