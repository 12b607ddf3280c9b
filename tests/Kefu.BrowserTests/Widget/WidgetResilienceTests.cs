using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Widget;

/// <summary>
/// The visitor's network goes away and comes back. Chromium's offline emulation alone does not
/// close an open WebSocket (frames are held back and flushed when back online; SignalR notices
/// only after its 30 s server timeout), so the tests also drop the hub's socket, as a real network
/// loss does, through Playwright's WebSocket routing: the widget then really reconnects.
/// </summary>
public sealed partial class WidgetResilienceTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task VisitorMessage_SentWhileOffline_IsDeliveredExactlyOnceAfterReconnecting() => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        var network = await RoutedNetworkAsync(visitor.Context);
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        var hello = $"hello {marker}";
        await VisitorSendsAsync(widget, hello);
        await OpenConversationAsync(agent, hello);

        await network.GoOfflineAsync();
        await Expect(widget.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "reconnecting");
        var text = $"离线时发送的消息 {marker} sent offline";
        await widget.GetByTestId("kefu-composer").FillAsync(text);
        await widget.GetByTestId("kefu-composer").PressAsync("Enter");
        await Expect(widget.GetByTestId("kefu-composer")).ToHaveValueAsync("");

        // Nothing can reach the server while offline.
        await agent.WaitForTimeoutAsync(2_000);
        await Expect(ConsoleMessages(agent, text)).ToHaveCountAsync(0);

        // Back online: the widget reconnects by itself (retry delays are at most 5.5 s) and resends.
        await network.GoOnlineAsync();
        await Expect(widget.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
        var sent = WidgetMessages(widget, text, "visitor").And(widget.Locator("[data-status=sent][data-seq]"));
        await Expect(sent).ToHaveCountAsync(1);
        await Expect(ConsoleMessages(agent, text, "visitor")).ToHaveCountAsync(1);

        // Exactly once, and it stays that way: no late duplicate from a second resend.
        await agent.WaitForTimeoutAsync(2_000);
        await Expect(ConsoleMessages(agent, text)).ToHaveCountAsync(1);
        await Expect(WidgetMessages(widget, text)).ToHaveCountAsync(1);
        await AssertUniqueSeqsAsync(widget.Locator("[data-testid=kefu-message][data-seq]"));
        await AssertUniqueSeqsAsync(agent.Locator("[data-testid=message][data-seq]"));
        Assert.Equal(await sent.GetAttributeAsync("data-seq"), await ConsoleMessages(agent, text).GetAttributeAsync("data-seq"));

        // The server kept it once too: a fresh page load shows it once.
        await agent.ReloadAsync();
        await WaitInteractiveAsync(agent);
        await Expect(ConsoleMessages(agent, text)).ToHaveCountAsync(1);
        await Expect(ConsoleMessages(agent, hello)).ToHaveCountAsync(1);
    });

    [Fact]
    public Task VisitorMessage_SentDuringANetworkBlipWithoutDisconnect_IsDeliveredExactlyOnce() => RunAsync(async () =>
    {
        // Offline emulation only: the socket stays open, its frames wait, then everything flushes.
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        var hello = $"hi {marker}";
        await VisitorSendsAsync(widget, hello);
        await OpenConversationAsync(agent, hello);

        await visitor.Context.SetOfflineAsync(true);
        var text = $"blip {marker} 🙏";
        await widget.GetByTestId("kefu-composer").FillAsync(text);
        await widget.GetByTestId("kefu-composer").PressAsync("Enter");
        await agent.WaitForTimeoutAsync(2_000);
        await Expect(ConsoleMessages(agent, text)).ToHaveCountAsync(0);
        await visitor.Context.SetOfflineAsync(false);

        await Expect(WidgetMessages(widget, text, "visitor").And(widget.Locator("[data-status=sent][data-seq]"))).ToHaveCountAsync(1);
        await Expect(ConsoleMessages(agent, text, "visitor")).ToHaveCountAsync(1);
        await agent.WaitForTimeoutAsync(2_000);
        await Expect(ConsoleMessages(agent, text)).ToHaveCountAsync(1);
        await Expect(WidgetMessages(widget, text)).ToHaveCountAsync(1);
        await AssertUniqueSeqsAsync(widget.Locator("[data-testid=kefu-message][data-seq]"));
    });

    [Fact]
    public Task VisitorMessage_WhileNotYetAcknowledged_ShowsAsSendingInTheWidget() => RunAsync(async () =>
    {
        // A message must be on screen at once as "sending" (later "failed" with retry), not stay
        // invisible until the server acknowledges it: online that is a moment, offline it is forever.
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        var network = await RoutedNetworkAsync(visitor.Context);
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        var statuses = await RecordStatusesAsync(visitor);
        const string online = "first message";
        await VisitorSendsAsync(widget, online);
        Assert.Equal(["sending", "sent"], (await statuses()).GetValueOrDefault(online, []));

        await network.GoOfflineAsync();
        await Expect(widget.GetByTestId("kefu-connection")).ToHaveAttributeAsync("data-state", "reconnecting");
        const string offline = "written while offline";
        await widget.GetByTestId("kefu-composer").FillAsync(offline);
        await widget.GetByTestId("kefu-composer").PressAsync("Enter");
        await Expect(widget.GetByTestId("kefu-composer")).ToHaveValueAsync("");
        await Expect(WidgetMessages(widget, offline)).ToHaveAttributeAsync("data-status", new Regex("^(sending|failed)$"), new() { Timeout = 5_000 });

        await network.GoOnlineAsync();
        await Expect(WidgetMessages(widget, offline, "visitor").And(widget.Locator("[data-status=sent][data-seq]"))).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(WidgetMessages(widget, offline)).ToHaveCountAsync(1);
    });

    private static async Task OpenConversationAsync(IPage agent, string firstMessage)
    {
        var item = agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = firstMessage });
        await item.ClickAsync();
        await Expect(ConsoleMessages(agent, firstMessage, "visitor")).ToHaveCountAsync(1);
    }

    private static async Task AssertUniqueSeqsAsync(ILocator messages)
    {
        var seqs = await messages.EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.seq)");
        Assert.Equal(seqs.Length, seqs.Distinct().Count());
    }

    /// <summary>The visitor hub's WebSockets pass through Playwright, so a test can cut them like a lost network.</summary>
    private static async Task<RoutedNetwork> RoutedNetworkAsync(IBrowserContext context)
    {
        var network = new RoutedNetwork(context);
        await context.RouteWebSocketAsync(VisitorHub(), ws =>
        {
            ws.ConnectToServer();
            network.Sockets.Add(ws);
        });
        return network;
    }

    [GeneratedRegex("/hubs/visitor")]
    private static partial Regex VisitorHub();

    private sealed class RoutedNetwork(IBrowserContext context)
    {
        public ConcurrentBag<IWebSocketRoute> Sockets { get; } = [];

        public async Task GoOfflineAsync()
        {
            await context.SetOfflineAsync(true);
            foreach (var socket in Sockets)
            {
                await socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 4000, Reason = "network lost" });
            }
        }

        public Task GoOnlineAsync() => context.SetOfflineAsync(false);
    }
}
