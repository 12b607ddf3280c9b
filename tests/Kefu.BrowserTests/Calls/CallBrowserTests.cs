using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Calls;

/// <summary>
/// A video call between the console and the widget on chromium's fake camera and microphone: the agent offers, the
/// visitor accepts, both decode the other's video (getStats), screen sharing replaces the agent's video track, hang-up
/// ends both and the timeline records it; and the same through coturn with relay-only ICE.
/// </summary>
public sealed class CallBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    /// <summary>
    /// Test instrumentation, not product code: keeps every RTCPeerConnection a page makes in <c>window.__pcs</c> (so the
    /// test can read getStats), and with <c>relay</c> forces relay-only ICE as <c>Kefu:Calls:RelayOnly</c> would.
    /// </summary>
    private static string Instrument(bool relay) => $$"""
        (() => {
          const Native = window.RTCPeerConnection;
          if (!Native) return;
          window.__pcs = [];
          window.RTCPeerConnection = function (config) {
            const pc = new Native({ ...(config || {}), {{(relay ? "iceTransportPolicy: 'relay'" : "")}} });
            window.__pcs.push(pc);
            return pc;
          };
          window.RTCPeerConnection.prototype = Native.prototype;
        })();
        """;

    /// <summary>Video frames decoded so far on the newest connection, and the type of the local candidate in use.</summary>
    private const string Stats = """
        async () => {
          const pc = (window.__pcs || []).at(-1);
          if (!pc) return { frames: 0, local: "" };
          const stats = await pc.getStats();
          let frames = 0, pair = null;
          stats.forEach((s) => {
            if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded || 0;
            if (s.type === "transport" && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
          });
          const local = pair ? stats.get(pair.localCandidateId) : null;
          return { frames, local: local ? local.candidateType : "" };
        }
        """;

    [Fact]
    public Task AgentOffersVideo_VisitorAccepts_BothDecodeVideo_ScreenShareReplacesTheTrack_HangUpEndsBoth() =>
        RunAsync(() => CallAsync(relay: false, "en-US"));

    [TurnFact]
    public Task TheSameCall_ThroughCoturn_WithRelayOnlyIce() => RunAsync(async () =>
    {
        using var turn = await TurnServer.StartAsync(Server.TurnPort);
        // In Chinese: the panels' texts come from the zh tables (screenshots with KEFU_SCREENSHOTS).
        await CallAsync(relay: true, "zh-CN");
    });

    private async Task CallAsync(bool relay, string locale)
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent", locale);
        var visitor = await NewPageAsync("visitor", locale);
        await agent.Context.AddInitScriptAsync(Instrument(relay));
        await visitor.Context.AddInitScriptAsync(Instrument(relay));
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, $"能视频看一下吗 {marker}");
        await agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = marker }).ClickAsync();
        var conversationId = agent.Url.Split('/').Last();
        await Expect(agent.GetByTestId("call-bar")).ToHaveAttributeAsync("data-ready", "true");

        // The agent offers a video call; the widget rings; the visitor accepts.
        await agent.GetByTestId("call-video").ClickAsync();
        await Expect(agent.GetByTestId("call-panel")).ToHaveAttributeAsync("data-state", "ringing");
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "ringing");
        await widget.GetByTestId("kefu-call-accept").ClickAsync();
        await Expect(agent.GetByTestId("call-panel")).ToHaveAttributeAsync("data-state", "active");
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "active");

        // Both sides decode the other's video, and it keeps coming (frames counted twice, growing).
        var frame = await WidgetFrameAsync(visitor);
        var agentFrames = await DecodingAsync(() => agent.EvaluateAsync<JsonElement>(Stats), relay);
        var visitorFrames = await DecodingAsync(() => frame.EvaluateAsync<JsonElement>(Stats), relay);
        await Expect(agent.GetByTestId("call-remote")).ToHaveJSPropertyAsync("paused", false);
        await Expect(widget.GetByTestId("kefu-call-remote")).ToHaveJSPropertyAsync("paused", false);
        Log($"decoded frames: agent {agentFrames}, visitor {visitorFrames}");
        if (Environment.GetEnvironmentVariable(Console.ScreenshotTour.Variable) is { Length: > 0 } folder)
        {
            var suffix = locale[..2];
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"call-console-{suffix}.png") });
            await visitor.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"call-widget-{suffix}.png") });
        }

        // The chat keeps working during the call.
        await VisitorSendsAsync(widget, $"看到了 {marker}");
        await Expect(ConsoleMessages(agent, $"看到了 {marker}", "visitor")).ToHaveCountAsync(1);

        // Screen sharing replaces the agent's camera track on the same sender; the visitor keeps decoding.
        const string senderLabel = "() => (window.__pcs.at(-1).getSenders().find((s) => s.track && s.track.kind === 'video') || {}).track?.label ?? ''";
        var camera = await agent.EvaluateAsync<string>(senderLabel);
        await agent.GetByTestId("call-screen").ClickAsync();
        await Expect(agent.GetByTestId("call-screen")).ToHaveAttributeAsync("aria-pressed", "true");
        var screen = await agent.EvaluateAsync<string>(senderLabel);
        Assert.NotEqual(camera, screen);
        Log($"video track: camera '{camera}' → screen '{screen}'");
        await DecodingAsync(() => frame.EvaluateAsync<JsonElement>(Stats), relay, after: visitorFrames);

        // Hang up: both panels end, and the timeline has the call with its duration and who ended it.
        await agent.GetByTestId("call-hangup").ClickAsync();
        await Expect(agent.GetByTestId("call-panel")).ToHaveAttributeAsync("data-state", "ended");
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "ended");
        // The console's timeline shows the call as it happened, without a reload (ADR 0040).
        await Expect(agent.Locator("[data-testid=timeline-event][data-type='call.ended']")).ToHaveCountAsync(1);
        await Expect(agent.Locator("[data-testid=timeline-event][data-type='call.started']")).ToHaveCountAsync(1);
        using var api = await AdminApiAsync();
        var timeline = await api.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationId}/timeline");
        var types = timeline.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["call.requested", "call.started", "call.ended"], types.Where(t => t!.StartsWith("call.", StringComparison.Ordinal)));
        var ended = timeline.EnumerateArray().Single(e => e.GetProperty("type").GetString() == "call.ended");
        Assert.Equal("agent", ended.GetProperty("actorType").GetString());
        var data = JsonDocument.Parse(ended.GetProperty("data").GetString()!).RootElement;
        Assert.Equal("hung_up", data.GetProperty("reason").GetString());
        Assert.Equal("video", data.GetProperty("media").GetString());
        Assert.True(data.GetProperty("durationSeconds").GetInt32() >= 0);

        // A visitor's call rings the assignee on another console page: the shell's alert opens the conversation, whose
        // panel shows the ringing call; the agent accepts, and the visitor's hang-up ends it in the live timeline.
        await AgentSendsAsync(agent, $"好的 {marker}"); // the agent answers: the conversation is theirs
        await agent.GetByTestId("nav-account").ClickAsync();
        await widget.GetByTestId("kefu-call-start-voice").ClickAsync();
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "ringing");
        var alert = agent.GetByTestId("call-alert");
        await Expect(alert).ToHaveAttributeAsync("data-conversation-id", conversationId);
        if (Environment.GetEnvironmentVariable(Console.ScreenshotTour.Variable) is { Length: > 0 } shots)
        {
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, $"call-alert-{locale[..2]}.png") });
        }

        await agent.GetByTestId("call-alert-open").ClickAsync();
        await Expect(alert).ToHaveCountAsync(0);
        await Expect(agent.GetByTestId("call-panel")).ToHaveAttributeAsync("data-state", "ringing");
        await agent.GetByTestId("call-accept").ClickAsync();
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "active");
        await widget.GetByTestId("kefu-call-hangup").ClickAsync();
        await Expect(agent.GetByTestId("call-panel")).ToHaveAttributeAsync("data-state", "ended");
        await Expect(agent.Locator("[data-testid=timeline-event][data-type='call.ended']")).ToHaveCountAsync(2);

        // Resolved, so the next test's console opens on a list without this agent's own conversation in front.
        (await api.PostAsync($"/api/v1/conversations/{conversationId}/resolve", null)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Test hook: the newest connection reports <c>iceConnectionState</c> as <paramref name="state"/> once (as a network
    /// drop would), then reads its real state again.
    /// </summary>
    private static string ReportIceState(string state) => $$"""
        () => {
          const pc = window.__pcs.at(-1);
          Object.defineProperty(pc, "iceConnectionState", { get: () => "{{state}}", configurable: true });
          pc.dispatchEvent(new Event("iceconnectionstatechange"));
          delete pc.iceConnectionState;
        }
        """;

    private const string IceUfrag = "() => ((window.__pcs.at(-1).localDescription || {}).sdp || '').match(/a=ice-ufrag:(\\S+)/)?.[1] ?? ''";

    [Fact]
    public Task ADroppedConnection_IsRestartedWithAnIceRestart_AndTheCallGoesOn() => RunAsync(async () =>
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var agent = await NewPageAsync("agent");
        var visitor = await NewPageAsync("visitor");
        await agent.Context.AddInitScriptAsync(Instrument(false));
        await visitor.Context.AddInitScriptAsync(Instrument(false));
        await SignInAgentAsync(agent);
        var widget = await OpenWidgetAsync(visitor);
        await VisitorSendsAsync(widget, $"网络不好 {marker}");
        await agent.GetByTestId("conversation-item").Filter(new LocatorFilterOptions { HasText = marker }).ClickAsync();
        var conversationId = agent.Url.Split('/').Last();
        await Expect(agent.GetByTestId("call-bar")).ToHaveAttributeAsync("data-ready", "true");
        await agent.GetByTestId("call-video").ClickAsync();
        await widget.GetByTestId("kefu-call-accept").ClickAsync();
        var panel = agent.GetByTestId("call-panel");
        await Expect(panel).ToHaveAttributeAsync("data-ice", new System.Text.RegularExpressions.Regex("^(connected|completed)$"));
        var frame = await WidgetFrameAsync(visitor);
        var decoded = await DecodingAsync(() => frame.EvaluateAsync<JsonElement>(Stats), relay: false);
        var ufrag = await agent.EvaluateAsync<string>(IceUfrag);
        Assert.NotEqual("", ufrag);

        // The agent's side (the offerer) sees its connection drop: it restarts ICE (new credentials in a new offer) and
        // waits instead of ending the call.
        await agent.EvaluateAsync(ReportIceState("disconnected"));
        await Expect(panel).ToHaveAttributeAsync("data-restarting", "true");
        await agent.WaitForFunctionAsync($"u => ({IceUfrag})() !== u", ufrag);
        Log($"ICE restart: ufrag {ufrag} → {await agent.EvaluateAsync<string>(IceUfrag)}");

        // Back up: the restart is over, the call is still active on both sides, and video keeps coming.
        await agent.EvaluateAsync(ReportIceState("connected"));
        await Expect(panel).ToHaveAttributeAsync("data-restarting", "false");
        await Expect(panel).ToHaveAttributeAsync("data-state", "active");
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "active");
        await DecodingAsync(() => frame.EvaluateAsync<JsonElement>(Stats), relay: false, after: decoded);

        await agent.GetByTestId("call-hangup").ClickAsync();
        await Expect(widget.GetByTestId("kefu-call-panel")).ToHaveAttributeAsync("data-state", "ended");
        using var api = await AdminApiAsync();
        (await api.PostAsync($"/api/v1/conversations/{conversationId}/resolve", null)).EnsureSuccessStatusCode();
    });

    [Fact]
    public Task Admin_LetsVisitorsOnlyVoiceCall_InTheInboxSettings_AndTheWidgetShowsOnlyThatButton() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        var inboxId = await OpenCallsTabAsync(admin);

        // The server's setting is the default: the three kinds follow it and cannot be changed one by one.
        await Expect(admin.GetByTestId("inbox-calls-voice")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("rz-state-disabled"));
        await admin.GetByTestId("inbox-calls-default").ClickAsync();
        await admin.GetByTestId("inbox-calls-video").ClickAsync();
        await admin.GetByTestId("inbox-calls-screen").ClickAsync();
        await admin.GetByTestId("inbox-calls-save").ClickAsync();
        await Expect(admin.GetByText("Saved.")).ToBeVisibleAsync();
        using var api = await AdminApiAsync();
        var stored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/inboxes/{inboxId}/calls");
        Assert.Equal((true, false, false, false), (stored.GetProperty("visitorVoice").GetBoolean(), stored.GetProperty("visitorVideo").GetBoolean(),
            stored.GetProperty("visitorScreen").GetBoolean(), stored.GetProperty("usesServerDefault").GetBoolean()));
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll");
        await ShotAsync(admin, "inbox-calls-en.png");

        // The same tab in Chinese shows what is stored.
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await OpenCallsTabAsync(zh);
        await Expect(zh.GetByTestId("inbox-tab-calls")).ToContainTextAsync("通话");
        await Expect(zh.GetByTestId("inbox-calls-voice")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("rz-switch-checked"));
        await Expect(zh.GetByTestId("inbox-calls-video")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("rz-switch-checked"));
        await ShotAsync(zh, "inbox-calls-zh.png");

        // The widget offers the visitor a voice call only.
        var visitor = await NewPageAsync("visitor");
        var widget = await OpenWidgetAsync(visitor);
        await Expect(widget.GetByTestId("kefu-call-start-voice")).ToBeVisibleAsync();
        await Expect(widget.GetByTestId("kefu-call-start-video")).ToBeHiddenAsync();
        await Expect(widget.GetByTestId("kefu-call-start-screen")).ToBeHiddenAsync();
        await ShotAsync(visitor, "widget-voice-only-en.png");

        // Back to the server's setting, so the other tests here meet the default.
        (await api.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/calls", new { useServerDefault = true })).EnsureSuccessStatusCode();
    });

    private static async Task<string> OpenCallsTabAsync(IPage admin)
    {
        await admin.GotoAsync("/console/settings/inboxes");
        await Expect(admin.Locator("[data-testid=inboxes-page][data-interactive=true]")).ToBeVisibleAsync();
        var row = admin.GetByTestId("inbox-row").First;
        var inboxId = await row.GetAttributeAsync("data-inbox-id") ?? throw new InvalidOperationException("no inbox id");
        await row.ClickAsync();
        await Expect(admin.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("inbox-tab-calls").ClickAsync();
        await Expect(admin.GetByTestId("inbox-calls-form")).ToBeVisibleAsync();
        return inboxId;
    }

    private static async Task ShotAsync(IPage page, string file)
    {
        if (Environment.GetEnvironmentVariable(Console.ScreenshotTour.Variable) is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, file) });
        }
    }

    /// <summary>Waits until video frames are decoded beyond <paramref name="after"/> and again beyond that (live, not one frame).</summary>
    private async Task<long> DecodingAsync(Func<Task<JsonElement>> stats, bool relay, long after = 0)
    {
        long first = 0;
        for (var round = 0; round < 2; round++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            var floor = round == 0 ? after : first;
            while (true)
            {
                var s = await stats();
                var frames = s.GetProperty("frames").GetInt64();
                if (frames > floor)
                {
                    // Relay-only means the chosen pair's local candidate is a TURN relay, never a host address.
                    Assert.Equal(relay, s.GetProperty("local").GetString() == "relay");
                    first = frames;
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"no video frames decoded beyond {floor} within 20 s");
                await Task.Delay(200);
            }
        }

        return first;
    }
}
