using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Bot.Flows;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

/// <summary>A bot server for flow tests: short HTTP action limits so the timeout and size cases are quick.</summary>
public sealed class FlowServer : IAsyncLifetime
{
    public KefuFactory Server { get; } = new()
    {
        Bot = true,
        Settings = new Dictionary<string, string> { ["Kefu:Bot:Flows:HttpTimeout"] = "00:00:01", ["Kefu:Bot:Flows:MaxResponseBytes"] = "4096" },
    };

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Bot flows end to end: the demo order flow in Chinese from the widget's hub (slot, re-ask, HTTP action against Kefu's
/// demo API, buttons, hand-off packet with the order number), and a flow against a merchant API the test runs on
/// 127.0.0.1 (signature, save-time refusals, timeout and size error branch, version pinning).
/// </summary>
public sealed class FlowTests(FlowServer fixture) : IClassFixture<FlowServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task DemoOrderFlow_InChinese_AsksChecksLooksUpAndHandsOffWithTheOrderNumber()
    {
        using var admin = await _server.AgentHttpAsync();
        // The seed points the demo flows at 127.0.0.1:5000; this server listens elsewhere.
        (await admin.PutAsJsonAsync("/api/v1/bot/flow-settings", new FlowSettingsRequest(_server.BaseAddress.ToString().TrimEnd('/'), [$"{_server.BaseAddress.Host}:{_server.BaseAddress.Port}"]))).EnsureSuccessStatusCode();
        await using var visitor = await BotVisitor.StartAsync(_server);

        var ask = await visitor.AskAsync("我的订单到哪了？");
        Assert.Equal("请告诉我您的订单号（6 到 12 位数字）。", ask.Text);

        var hint = await visitor.AskAsync("不记得了");
        Assert.Equal("订单号是 6 到 12 位数字，例如 20261234。", hint.Text);

        var ack = await visitor.SendAsync(new VisitorSendMessage(null, "order", "20261234", null));
        var status = await visitor.ReplyToAsync(ack.Value!);
        // 2+0+2+6+1+2+3+4 = 20, 20 % 3 = 2: the demo API says delivered by JD Logistics.
        Assert.StartsWith("订单 20261234 的状态：已签收。快递：京东物流，运单号：JD000020261234", status.Text);
        var more = await visitor.Messages.WaitAsync(m => m.ClientMessageId == $"bot:{ack.Value!.MessageId:N}:1");
        Assert.Equal(["修改收货地址", "没有了，谢谢"], more.Actions!.Select(a => a.Label));

        var handoff = await visitor.ChooseAsync(more, more.Actions![0].Id);
        Assert.Equal("好的，修改地址需要人工客服处理，我已把订单号一并转给客服。", handoff.Text);
        var packet = await BotAssertions.PacketAsync(_server, visitor.ConversationId);
        Assert.Equal(HandoffReasons.Flow, packet.Reason);
        Assert.Equal("shipping", packet.Flow!.Skill);
        Assert.Equal("20261234", packet.Flow.Variables["order_number"]);
        Assert.Equal("已签收", packet.Flow.Variables["status"]);
        var run = await _server.WithDbAsync(db => db.BotFlowRuns.SingleAsync(r => r.ConversationId == visitor.ConversationId));
        Assert.False(run.Active);
        Assert.Equal(ConversationHandler.Queue, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == visitor.ConversationId).Select(c => c.Handler).SingleAsync()));
    }

    [Fact]
    public async Task MerchantApi_IsCalledSigned_BadFlowsAreRefused_FailuresTakeTheErrorBranch_AndRunsStayOnTheirVersion()
    {
        await using var merchant = await Merchant.StartAsync();
        using var admin = await _server.AgentHttpAsync();
        var saved = await (await admin.PutAsJsonAsync("/api/v1/bot/flow-settings", new FlowSettingsRequest(merchant.Url, [$"127.0.0.1:{merchant.Port}"], RotateSecret: true)))
            .Content.ReadFromJsonAsync<FlowSettingsSaved>(KefuFactory.Json);
        var secret = saved!.Secret!;
        // Who allowed which private address, and that the secret changed, is audited; the secret itself never is.
        var audited = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == AuditActions.SettingChanged && a.TargetId == "flows").Select(a => a.Detail).ToListAsync());
        Assert.Contains(audited, d => d!.Contains($"allowedHosts=127.0.0.1:{merchant.Port}", StringComparison.Ordinal) && d.Contains("secret=rotated", StringComparison.Ordinal));
        Assert.DoesNotContain(audited, d => d!.Contains(secret, StringComparison.Ordinal));

        // Refused at save, nothing stored: a host that resolves to loopback without being allowed, file://, a loop with no exit.
        await AssertRefusedAsync(admin, Flow($"http://localhost:{merchant.Port}/orders/{{{{n}}}}"), "flow_address_refused", "call");
        await AssertRefusedAsync(admin, Flow("file:///etc/passwd"), "flow_invalid_url", "call");
        await AssertRefusedAsync(admin, new FlowDefinition("en", "a", [new FlowStep { Id = "a", Type = "message", Text = "x", Next = "a" }]), "flow_no_exit", "a");
        Assert.Equal(0, await _server.WithDbAsync(db => db.BotFlows.CountAsync(f => f.Name == "merchant")));

        var created = await admin.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("merchant", Flow($"{merchant.Url}/orders/{{{{n}}}}?lang=en"), ["refund status"], []));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var flow = (await created.Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!;

        // The draft in the test chat: the merchant gets a signed GET and its fields come back mapped.
        var first = await TestAsync(admin, flow.Id, new FlowTestRequest(null, "hi", null));
        var done = await TestAsync(admin, flow.Id, new FlowTestRequest(first.State, "4711", null));
        Assert.Equal("Refund 4711: approved", done.Replies.Single().Text);
        Assert.Equal("end", done.Finished);
        var call = Assert.Single(merchant.Calls);
        Assert.Equal("/orders/4711?lang=en", call.PathAndQuery);
        Assert.Equal(FlowHttp.Sign(secret, long.Parse(call.Timestamp!), "GET", "/orders/4711?lang=en", ""), call.Signature);

        // Too slow, too big, an error status: each takes the error branch (a hand-off here), never a stuck turn.
        foreach (var n in new[] { "slow", "big", "500" })
        {
            var failed = await TestAsync(admin, flow.Id, new FlowTestRequest(first.State, n, null));
            Assert.Equal("handoff", failed.Finished);
            Assert.NotNull(failed.HttpError);
        }

        // Publish v1, start a conversation on it; publish v2; the conversation finishes on v1, a new one gets v2.
        Assert.Equal(1, (await (await admin.PostAsync($"/api/v1/bot/flows/{flow.Id}/publish", null)).Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!.PublishedVersion);
        await using var early = await BotVisitor.StartAsync(_server);
        Assert.Equal("Which refund?", (await early.AskAsync("refund status please")).Text);
        var v2 = Flow($"{merchant.Url}/orders/{{{{n}}}}?lang=en", ask: "Your refund number?", done: "v2: {{n}} is {{state}}");
        (await admin.PutAsJsonAsync($"/api/v1/bot/flows/{flow.Id}", new FlowRequest("merchant", v2, ["refund status"], []))).EnsureSuccessStatusCode();
        Assert.Equal(2, (await (await admin.PostAsync($"/api/v1/bot/flows/{flow.Id}/publish", null)).Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!.PublishedVersion);
        Assert.Equal("Refund 4712: approved", (await early.AskAsync("4712")).Text);
        await using var late = await BotVisitor.StartAsync(_server);
        Assert.Equal("Your refund number?", (await late.AskAsync("refund status")).Text);
        Assert.Equal("v2: 4713 is approved", (await late.AskAsync("4713")).Text);

        // Another workspace never sees the flow.
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var other = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/bot/flows/{flow.Id}")).StatusCode);
    }

    [Fact]
    public async Task HttpActions_ReachOnlyTheAllowedPort_KeepSlotValuesInOneSegment_AndStopAfterTheBudget()
    {
        await using var merchant = await Merchant.StartAsync();
        await using var elsewhere = await Merchant.StartAsync(); // another service on the same host
        using var admin = await _server.AgentHttpAsync();

        // Entries are host:port; a bad one is refused (422 with the field) and changes nothing.
        var bad = await admin.PutAsJsonAsync("/api/v1/bot/flow-settings", new FlowSettingsRequest(merchant.Url, ["127.0.0.1:99999"]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal("allowedHosts", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        (await admin.PutAsJsonAsync("/api/v1/bot/flow-settings", new FlowSettingsRequest(merchant.Url, [$" 127.0.0.1:{merchant.Port} "]))).EnsureSuccessStatusCode();
        Assert.Equal([$"127.0.0.1:{merchant.Port}"], (await admin.GetFromJsonAsync<FlowSettingsDto>("/api/v1/bot/flow-settings", KefuFactory.Json))!.AllowedHosts);

        // The allowed host on another port is another service: refused at save, nothing stored.
        await AssertRefusedAsync(admin, Flow($"http://127.0.0.1:{elsewhere.Port}/orders/{{{{n}}}}"), "flow_address_refused", "call");
        Assert.Empty(elsewhere.Calls);

        // A slot value is one escaped path segment: "../admin" stays inside /orders/, ".." is not sent at all.
        var created = await admin.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("hardened", Flow($"{merchant.Url}/orders/{{{{n}}}}"), [], []));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var flow = (await created.Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!;
        var ask = await TestAsync(admin, flow.Id, new FlowTestRequest(null, "hi", null));
        var escaped = await TestAsync(admin, flow.Id, new FlowTestRequest(ask.State, "../admin", null));
        Assert.Equal(("end", "Refund ../admin: approved"), (escaped.Finished, escaped.Replies.Single().Text));
        Assert.Equal("/orders/..%2Fadmin", Assert.Single(merchant.Calls).PathAndQuery);
        var dots = await TestAsync(admin, flow.Id, new FlowTestRequest(ask.State, "..", null));
        Assert.Equal("handoff", dots.Finished);
        Assert.Contains("path segment", dots.HttpError, StringComparison.Ordinal);
        Assert.Single(merchant.Calls);

        // One turn sends at most FlowRunner.HttpBudget requests, then hands off saying why.
        var chain = Enumerable.Range(1, FlowRunner.HttpBudget + 1)
            .Select(i => new FlowStep { Id = "call" + i, Type = "http", Url = $"{merchant.Url}/orders/{i}", Next = i == FlowRunner.HttpBudget + 1 ? "done" : "call" + (i + 1) })
            .Append(new FlowStep { Id = "done", Type = "end", Text = "all called" }).ToList();
        var looping = await admin.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("budget", new FlowDefinition("en", "call1", chain), [], []));
        Assert.Equal(HttpStatusCode.Created, looping.StatusCode);
        var budget = await TestAsync(admin, (await looping.Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!.Id, new FlowTestRequest(null, "hi", null));
        Assert.Equal("handoff", budget.Finished);
        Assert.Contains("HTTP actions in one turn", budget.HttpError, StringComparison.Ordinal);
        Assert.Equal(1 + FlowRunner.HttpBudget, merchant.Calls.Count);
        Assert.Empty(budget.Replies);
    }

    [Fact]
    public async Task TheDemoOrderApi_IsAnonymous_AndAnswersOnlyMadeUpOrders()
    {
        // Demo only (mapped while the demo seed is on): it reads nothing stored, so there is nothing else to reveal.
        using var anonymous = _server.Http();
        var order = await anonymous.GetFromJsonAsync<JsonElement>("/demo/orders/20261234");
        Assert.Equal(["number", "status", "statusZh", "carrierEn", "carrierZh", "trackingNumber", "eta"], order.EnumerateObject().Select(p => p.Name));
        Assert.Equal("JD000020261234", order.GetProperty("trackingNumber").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/demo/orders/20261230")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/demo/orders/..%2F..%2Fapi")).StatusCode);
    }

    [Fact]
    public async Task GrayRelease_SplitsNewConversationsStickily_PromoteAndRollBack_AndAPersonAskedForMidFlowGetsTheVariables()
    {
        using var admin = await _server.AgentHttpAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("gray", TwoSlots("v1"), ["gray check"], []));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var flow = (await created.Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!;

        // Bad input, nothing changed: a first version only to some, a share out of range, a rollout that does not exist.
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/v1/bot/flows/{flow.Id}/publish", new PublishFlowRequest(50)), HttpStatusCode.UnprocessableEntity, "invalid_flow");
        Assert.Equal(1, (await PublishAsync(admin, flow.Id, null)).PublishedVersion);
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/api/v1/bot/flows/{flow.Id}/publish", new PublishFlowRequest(0)), HttpStatusCode.UnprocessableEntity, "invalid_flow");
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/bot/flows/{flow.Id}/rollout", new FlowRolloutRequest(100)), HttpStatusCode.Conflict, "flow_no_rollout");

        // v2 to half of the new conversations: v1 stays published for the rest.
        (await admin.PutAsJsonAsync($"/api/v1/bot/flows/{flow.Id}", new FlowRequest("gray", TwoSlots("v2"), ["gray check"], []))).EnsureSuccessStatusCode();
        var gray = await PublishAsync(admin, flow.Id, 50);
        Assert.Equal((1, 2, 50), (gray.PublishedVersion!.Value, gray.RolloutVersion!.Value, gray.RolloutPercent));

        // Each new conversation starts the version its bucket (the documented hash) says, and records it on the run.
        var visitors = new List<(BotVisitor Visitor, string Version)>();
        for (var i = 0; i < 4; i++)
        {
            var visitor = await BotVisitor.StartAsync(_server);
            var ask = await visitor.AskAsync("gray check please");
            var expected = DocumentedBucket(flow.Id, visitor.ConversationId) < 50 ? "v2" : "v1";
            Assert.Equal($"{expected}: first?", ask.Text);
            // The turn (and its run) commits just after the bot's reply is written.
            var run = await Wait.ForAsync(() => _server.WithDbAsync(db => db.BotFlowRuns.SingleOrDefaultAsync(r => r.ConversationId == visitor.ConversationId)),
                r => r is not null, "the run of the flow");
            Assert.Equal(expected == "v2" ? 2 : 1, run!.Version);
            visitors.Add((visitor, expected));
        }

        // Sticky: the same conversation finishes the flow and starts it again on the same version.
        var (again, version) = visitors[0];
        await again.AskAsync("one");
        Assert.Equal($"{version}: done one two", (await again.AskAsync("two")).Text);
        Assert.Equal($"{version}: first?", (await again.AskAsync("gray check again")).Text);

        // The split as the console shows it: each version's share and its conversations.
        // (The last turn's run commits just after its reply: read until it is counted.)
        var versions = await Wait.ForAsync(async () => (await admin.GetFromJsonAsync<List<FlowVersionDto>>($"/api/v1/bot/flows/{flow.Id}/versions", KefuFactory.Json))!,
            v => v.Sum(x => x.Runs) >= 5, "the five runs counted");
        Assert.Equal([(2, 50), (1, 50)], versions.Select(v => (v.Version, v.Share)));
        Assert.Equal(5, versions.Sum(v => v.Runs));

        // A person asked for in the middle of a flow: the run ends with the hand-off and the packet has what was collected.
        var (asker, _) = visitors[1];
        await asker.AskAsync("Alice");
        await asker.AskAsync("转人工");
        var packet = await BotAssertions.PacketAsync(_server, asker.ConversationId);
        Assert.Equal(HandoffReasons.Requested, packet.Reason);
        Assert.Equal("gray", packet.Flow!.Name);
        Assert.Equal("Alice", packet.Flow.Variables["first"]);
        Assert.False(await _server.WithDbAsync(db => db.BotFlowRuns.AnyAsync(r => r.ConversationId == asker.ConversationId && r.Active)));

        // Promote: every new conversation starts v2; then v3 in gray release rolled back: v2 stays for everyone.
        var promoted = await (await admin.PutAsJsonAsync($"/api/v1/bot/flows/{flow.Id}/rollout", new FlowRolloutRequest(100))).Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json);
        Assert.Equal((2, (int?)null, 0), (promoted!.PublishedVersion!.Value, promoted.RolloutVersion, promoted.RolloutPercent));
        await using (var late = await BotVisitor.StartAsync(_server))
        {
            Assert.Equal("v2: first?", (await late.AskAsync("gray check")).Text);
        }

        Assert.Equal(3, (await PublishAsync(admin, flow.Id, 30)).RolloutVersion);
        var rolledBack = await (await admin.PutAsJsonAsync($"/api/v1/bot/flows/{flow.Id}/rollout", new FlowRolloutRequest(0))).Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json);
        Assert.Equal((2, (int?)null), (rolledBack!.PublishedVersion!.Value, rolledBack.RolloutVersion));
        foreach (var (visitor, _) in visitors)
        {
            await visitor.DisposeAsync();
        }
    }

    /// <summary>The bucket as docs/bot-flows.md defines it: SHA-256 of "{flowId:N}:{conversationId:N}", first four bytes big-endian, modulo 100.</summary>
    private static int DocumentedBucket(Guid flowId, Guid conversationId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{flowId:N}:{conversationId:N}"));
        return (int)(((uint)hash[0] << 24 | (uint)hash[1] << 16 | (uint)hash[2] << 8 | hash[3]) % 100);
    }

    private static FlowDefinition TwoSlots(string tag) => new("en", "first",
    [
        new FlowStep { Id = "first", Type = "slot", Text = $"{tag}: first?", Variable = "first", Next = "second" },
        new FlowStep { Id = "second", Type = "slot", Text = $"{tag}: second?", Variable = "second", Next = "done" },
        new FlowStep { Id = "done", Type = "end", Text = $"{tag}: done {{{{first}}}} {{{{second}}}}" },
    ]);

    private static async Task<FlowDto> PublishAsync(HttpClient admin, Guid id, int? percent)
    {
        var response = percent is null ? await admin.PostAsync($"/api/v1/bot/flows/{id}/publish", null)
            : await admin.PostAsJsonAsync($"/api/v1/bot/flows/{id}/publish", new PublishFlowRequest(percent));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FlowDto>(KefuFactory.Json))!;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static FlowDefinition Flow(string url, string ask = "Which refund?", string done = "Refund {{n}}: {{state}}") => new("en", "ask",
    [
        new FlowStep { Id = "ask", Type = "slot", Text = ask, Variable = "n", Next = "call" },
        new FlowStep { Id = "call", Type = "http", Url = url, Map = new Dictionary<string, string> { ["state"] = "$.refund.state" }, Next = "done" },
        new FlowStep { Id = "done", Type = "end", Text = done },
    ]);

    private static async Task<FlowTestResult> TestAsync(HttpClient admin, Guid id, FlowTestRequest request)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/bot/flows/{id}/test", request, KefuFactory.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<FlowTestResult>(KefuFactory.Json))!;
    }

    private static async Task AssertRefusedAsync(HttpClient admin, FlowDefinition flow, string code, string step)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/bot/flows", new FlowRequest("merchant", flow, [], []));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(step, problem.GetProperty("stepId").GetString());
    }

    /// <summary>A merchant's order system on 127.0.0.1 (a real Kestrel server): records each call's signature headers.</summary>
    private sealed class Merchant : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Merchant(WebApplication app) => _app = app;

        public ConcurrentQueue<(string PathAndQuery, string? Timestamp, string? Signature)> Calls { get; } = new();
        public string Url => _app.Urls.First();
        public int Port => new Uri(Url).Port;

        public static async Task<Merchant> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var merchant = new Merchant(app);
            app.MapGet("/orders/{n}", async (string n, HttpContext http) =>
            {
                merchant.Calls.Enqueue((http.Request.Path + http.Request.QueryString, http.Request.Headers["Kefu-Timestamp"].FirstOrDefault(), http.Request.Headers["Kefu-Signature"].FirstOrDefault()));
                switch (n)
                {
                    case "slow":
                        await Task.Delay(TimeSpan.FromSeconds(3), http.RequestAborted);
                        break;
                    case "big":
                        await http.Response.WriteAsJsonAsync(new { refund = new { state = new string('x', 10_000) } });
                        return;
                    case "500":
                        http.Response.StatusCode = 500;
                        return;
                }

                await http.Response.WriteAsJsonAsync(new { refund = new { state = "approved" } });
            });
            await app.StartAsync();
            return merchant;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
