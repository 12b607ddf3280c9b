using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Conversations;

/// <summary>A visitor on the demo shop and an agent in the console, each in their own browser.</summary>
public sealed class VisitorAgentChatTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Script = "<img src=x onerror=alert(1)>";

    [Fact]
    public Task VisitorAndAgent_ExchangeMessages_ScriptPayloadShowsAsText() => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        var statuses = await RecordStatusesAsync(visitor);

        // The visitor writes in Chinese, English and emoji; each one is acknowledged with a Seq.
        string[] first = [$"你好，我的订单 {marker} 还没有发货", "Hello, when will my order ship?", "🍬🍫 谢谢 👍"];
        var seqs = new List<long>();
        foreach (var text in first)
        {
            seqs.Add(await VisitorSendsAsync(widget, text));
        }

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        var seen = await statuses();
        foreach (var text in first)
        {
            // Never "failed" or a duplicate bubble on the way to "sent".
            Assert.Equal("sent", seen.GetValueOrDefault(text, []).LastOrDefault());
            Assert.DoesNotContain("failed", seen.GetValueOrDefault(text, []));
        }

        // The conversation appears live in the agent's list, with an unread badge.
        var item = agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = "谢谢" });
        await Expect(item).ToHaveCountAsync(1);
        var conversationId = await item.GetAttributeAsync("data-conversation-id");
        Assert.False(string.IsNullOrEmpty(conversationId));
        item = agent.Locator($"[data-testid=conversation-item][data-conversation-id='{conversationId}']");
        await Expect(item.GetByTestId("unread-count")).ToHaveTextAsync("3");

        // The agent opens it: the whole conversation shows, and it counts as read.
        await item.ClickAsync();
        await agent.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "open");
        foreach (var text in first)
        {
            await Expect(ConsoleMessages(agent, text, "visitor")).ToHaveCountAsync(1);
        }

        await Expect(item.GetByTestId("unread-count")).ToHaveCountAsync(0);

        // Typing, agent → visitor: the widget shows that the agent is typing.
        await Expect(widget.GetByTestId("kefu-typing")).ToBeHiddenAsync();
        await agent.GetByTestId("composer").PressSequentiallyAsync("您好");
        await Expect(widget.GetByTestId("kefu-typing")).ToBeVisibleAsync();

        // The agent's reply arrives live in the widget (and ends the typing indicator).
        var reply = $"您好！订单 {marker} 今天发货 📦 Thanks for waiting.";
        var replySeq = await AgentSendsAsync(agent, reply);
        await Expect(WidgetMessages(widget, reply, "agent")).ToHaveAttributeAsync("data-seq", replySeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(widget.GetByTestId("kefu-typing")).ToBeHiddenAsync();

        // Typing, visitor → agent: the console shows that the visitor is typing.
        await Expect(agent.GetByTestId("typing-indicator")).ToBeHiddenAsync();
        await widget.GetByTestId("kefu-composer").PressSequentiallyAsync("ok");
        await Expect(agent.GetByTestId("typing-indicator")).ToBeVisibleAsync();
        await widget.GetByTestId("kefu-composer").FillAsync("");

        // Markup is text on both sides: no element is created, no script runs.
        await VisitorSendsAsync(widget, Script);
        await Expect(ConsoleMessages(agent, Script, "visitor")).ToHaveCountAsync(1);
        Assert.Equal(Script, await ConsoleMessages(agent, Script, "visitor").GetByTestId("message-text").TextContentAsync());
        Assert.Equal(Script, await WidgetMessages(widget, Script, "visitor").GetByTestId("kefu-message-text").TextContentAsync());
        await AgentSendsAsync(agent, Script);
        await Expect(WidgetMessages(widget, Script, "agent")).ToHaveCountAsync(1);
        Assert.Equal(Script, await WidgetMessages(widget, Script, "agent").GetByTestId("kefu-message-text").TextContentAsync());
        await Expect(widget.Locator("img[src=x]")).ToHaveCountAsync(0);
        await Expect(agent.Locator("img[src=x]")).ToHaveCountAsync(0);
        await Expect(widget.Locator("[data-testid=kefu-message-list] img")).ToHaveCountAsync(0);
        await Expect(agent.Locator("[data-testid=message-list] img")).ToHaveCountAsync(0);

        // http(s) addresses become links on both sides; javascript: does not.
        const string links = "See https://example.com/x and javascript:alert(1)";
        await VisitorSendsAsync(widget, links);
        await Expect(ConsoleMessages(agent, links, "visitor")).ToHaveCountAsync(1);
        await AssertLinksAsync(WidgetMessages(widget, links, "visitor"));
        await AssertLinksAsync(ConsoleMessages(agent, links, "visitor"));

        // The agent resolves: the visitor sees it; writing again reopens the conversation.
        await agent.GetByTestId("resolve").ClickAsync();
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");
        await Expect(widget.GetByTestId("kefu-status")).ToHaveAttributeAsync("data-status", "resolved");
        var again = $"还有一个问题 {marker}";
        await VisitorSendsAsync(widget, again);
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "open");
        await Expect(ConsoleMessages(agent, again, "visitor")).ToHaveCountAsync(1);
        await Expect(widget.GetByTestId("kefu-status")).ToHaveCountAsync(0);
        await Expect(agent.GetByTestId("reopen")).ToHaveCountAsync(0);

        // A reload shows the whole history: the same messages with the same Seqs, in order.
        var before = await WidgetHistoryAsync(widget);
        Assert.Equal(first.Length + 5, before.Count); // + reply, two payloads, the links, the reopening one
        await visitor.ReloadAsync();
        var reloaded = visitor.FrameLocator("[data-testid=kefu-frame]");
        await reloaded.GetByTestId("kefu-launcher").ClickAsync();
        await Expect(reloaded.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(reloaded.Locator("[data-testid=kefu-message][data-seq]")).ToHaveCountAsync(before.Count);
        Assert.Equal(before, await WidgetHistoryAsync(reloaded));

        // The agent's view agrees, Seq for Seq.
        Assert.Equal(before, await ConsoleHistoryAsync(agent));
        AssertNoDialogs();
    });

    private static async Task AssertLinksAsync(ILocator message)
    {
        var link = message.Locator("a[href='https://example.com/x']");
        await Expect(link).ToHaveCountAsync(1);
        await Expect(link).ToHaveTextAsync("https://example.com/x");
        await Expect(message.Locator("a")).ToHaveCountAsync(1);
        await Expect(message.Locator("a[href^='javascript' i]")).ToHaveCountAsync(0);
    }

    private static async Task<List<string>> WidgetHistoryAsync(IFrameLocator widget) =>
        [.. await widget.Locator("[data-testid=kefu-message][data-seq]").EvaluateAllAsync<string[]>(
            "items => items.map(i => i.dataset.seq + ' ' + i.dataset.sender + ' ' + i.querySelector('[data-testid=kefu-message-text]')?.textContent)")];

    private static async Task<List<string>> ConsoleHistoryAsync(IPage agent) =>
        [.. await agent.Locator("[data-testid=message][data-seq]").EvaluateAllAsync<string[]>(
            "items => items.map(i => i.dataset.seq + ' ' + i.dataset.sender + ' ' + i.querySelector('[data-testid=message-text]')?.textContent)")];
}
