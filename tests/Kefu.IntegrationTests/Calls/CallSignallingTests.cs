using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Calls;

/// <summary>Call signalling over the real hubs: the state machine, who may see what, the limits, the timeline, TURN credentials.</summary>
public sealed class CallSignallingTests
{
    private const string Secret = "turn-secret-for-tests";

    [Fact]
    public async Task ACall_RingsAcceptsRelaysAndEnds_OnlyBetweenItsParticipants_WithTypedErrorsAndTimelineEvents()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory
        {
            Clock = clock,
            Settings = new Dictionary<string, string>
            {
                ["Kefu:Calls:StunUrls:0"] = "stun:127.0.0.1:3478",
                ["Kefu:Calls:TurnUrls:0"] = "turn:127.0.0.1:3478?transport=udp",
                ["Kefu:Calls:TurnSecret"] = Secret,
                ["Kefu:Calls:TurnCredentialLifetime"] = "01:00:00",
                ["Kefu:Calls:IceCandidatesPerSecond"] = "20",
            },
        }.Start();
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var visitorCalls = new Events<CallDto>(visitor, "CallUpdated");
        var visitorSignals = new Events<CallSignalEvent>(visitor, "CallSignal");
        var sent = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "能视频吗？", null));
        var conversationId = sent.Value!.ConversationId;
        await using var agent = await server.ConnectAgentAsync();
        var agentCalls = new Events<CallDto>(agent, "CallUpdated");
        var agentSignals = new Events<CallSignalEvent>(agent, "CallSignal");
        var stranger = await server.NewVisitorAsync();
        await using var other = await server.ConnectVisitorAsync(stranger.Token);
        var strangerCalls = new Events<CallDto>(other, "CallUpdated");

        // Nobody handles the conversation yet: the visitor has no one to ring.
        AssertError("call_no_agent", await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Video));

        // The agent offers; the widget rings; a second offer is busy.
        var offered = await agent.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Video);
        Assert.True(offered.Ok, offered.Error?.Code);
        var callId = offered.Value!.Id;
        Assert.Equal(CallState.Ringing, offered.Value.State);
        await visitorCalls.WaitAsync(c => c.Id == callId && c.State == CallState.Ringing);
        AssertError("call_busy", await agent.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice));

        // Another visitor cannot reach the conversation or the call: the same answers as for ids that do not exist.
        AssertError("conversation_not_found", await other.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice));
        AssertError("call_not_found", await other.InvokeAsync<HubResult<CallDto>>("AcceptCall", callId));
        AssertError("call_not_found", await other.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "ice", "{}"));
        AssertError("call_not_found", await visitor.InvokeAsync<HubResult<CallDto>>("AcceptCall", Guid.NewGuid()));

        // The caller cannot answer their own call, and nothing is relayed before it is accepted.
        AssertError("call_invalid_state", await agent.InvokeAsync<HubResult<CallDto>>("AcceptCall", callId));
        AssertError("call_invalid_state", await visitor.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "answer", "v=0"));

        var accepted = await visitor.InvokeAsync<HubResult<CallDto>>("AcceptCall", callId);
        Assert.True(accepted.Ok, accepted.Error?.Code);
        await agentCalls.WaitAsync(c => c.Id == callId && c.State == CallState.Active);

        // SDPs go to the other side only; an oversized one and an unknown kind are refused and not relayed.
        AssertError("call_signal_too_large", await agent.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "offer", new string('a', 17 * 1024)));
        AssertError("invalid_request", await agent.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "bye", "x"));
        Assert.True((await agent.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "offer", "v=0 offer")).Value);
        Assert.Equal("v=0 offer", (await visitorSignals.WaitAsync(s => s.Kind == "offer")).Payload);
        Assert.DoesNotContain(visitorSignals.Seen, s => s.Payload.Length > 1024);
        Assert.True((await visitor.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "answer", "v=0 answer")).Value);
        Assert.Equal("v=0 answer", (await agentSignals.WaitAsync(s => s.Kind == "answer")).Payload);

        // A flood of ICE candidates in one second (the clock stands still): 20 are relayed, the rest dropped, the hub lives.
        var flood = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            visitor.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "ice", $"{{\"candidate\":\"c{i}\"}}")));
        Assert.All(flood, r => Assert.True(r.Ok));
        Assert.Equal(20, flood.Count(r => r.Value));
        await agentSignals.WaitAsync(s => s.Kind == "ice" && agentSignals.Seen.Count(x => x.Kind == "ice") >= 20);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await visitor.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "ice", "{\"candidate\":\"late\"}")).Value);

        // TURN credentials of the coturn REST scheme: expiry:id, base64(HMAC-SHA1(secret, username)).
        var config = (await agent.InvokeAsync<HubResult<IceConfigDto>>("GetCallConfig")).Value!;
        Assert.Equal(["stun:127.0.0.1:3478"], config.IceServers[0].Urls);
        var turn = config.IceServers[1];
        var expiry = long.Parse(turn.Username!.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), expiry);
        Assert.Equal(Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(turn.Username))), turn.Credential);
        Assert.DoesNotContain(session.ContactId.ToString("N"), turn.Username);

        // 65 more seconds of talk (66 since the accept, with the second of candidates), then the visitor hangs up: both sides see it end; later signals are refused as ended.
        clock.Advance(TimeSpan.FromSeconds(65));
        Assert.True((await visitor.InvokeAsync<HubResult<CallDto>>("HangUpCall", callId, false)).Ok);
        await agentCalls.WaitAsync(c => c.Id == callId && c.State == CallState.Ended);
        AssertError("call_ended", await agent.InvokeAsync<HubResult<bool>>("SendCallSignal", callId, "ice", "{}"));
        AssertError("call_ended", await visitor.InvokeAsync<HubResult<CallDto>>("HangUpCall", callId, false));
        Assert.Empty(strangerCalls.Seen);

        // A call the visitor requests rings the assignee; unanswered past the ring timeout it ends as missed.
        await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversationId, new AgentSendMessage("a-1", "您好", null));
        var requested = await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice);
        Assert.True(requested.Ok, requested.Error?.Code);
        await agentCalls.WaitAsync(c => c.Id == requested.Value!.Id && c.State == CallState.Ringing);
        clock.Advance(TimeSpan.FromSeconds(46));
        AssertError("call_ended", await agent.InvokeAsync<HubResult<CallDto>>("AcceptCall", requested.Value!.Id));

        // The timeline holds both calls: who, what, why and how long.
        using var http = await server.AgentHttpAsync();
        var timeline = await http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversationId}/timeline");
        var calls = timeline.EnumerateArray().Where(e => e.GetProperty("type").GetString()!.StartsWith("call.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["call.requested", "call.started", "call.ended", "call.requested", "call.ended"], calls.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["agent", "visitor", "visitor", "visitor", "system"], calls.Select(e => e.GetProperty("actorType").GetString()));
        var hungUp = JsonDocument.Parse(calls[2].GetProperty("data").GetString()!).RootElement;
        Assert.Equal(("hung_up", 66, "video"), (hungUp.GetProperty("reason").GetString(), hungUp.GetProperty("durationSeconds").GetInt32(), hungUp.GetProperty("media").GetString()));
        var missed = JsonDocument.Parse(calls[4].GetProperty("data").GetString()!).RootElement;
        Assert.Equal(("missed", 0), (missed.GetProperty("reason").GetString(), missed.GetProperty("durationSeconds").GetInt32()));

        // Resolved conversations take no calls.
        await agent.InvokeAsync<HubResult<ConversationDto>>("Resolve", conversationId);
        AssertError("call_conversation_closed", await agent.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice));
    }

    [Fact]
    public async Task TheServerEndsCalls_WhenASideIsGone_OnResolveTransferAndErasure_ChecksAccessOnEverySignal_AndLimitsStarts()
    {
        await using var server = new KefuFactory
        {
            Settings = new Dictionary<string, string> { ["Kefu:Calls:ReconnectGrace"] = "00:00:01", ["Kefu:Calls:StartsPerMinute"] = "3" },
        }.Start();
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var calls = new Events<CallDto>(visitor, "CallUpdated");
        var secondTab = await server.ConnectVisitorAsync(session.Token);
        var conversationId = (await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "在吗", null))).Value!.ConversationId;
        var adminToken = await server.AgentTokenAsync();
        var adminId = await server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        var leaving = await server.ConnectAgentAsync(adminToken);
        Assert.True((await leaving.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversationId, new AgentSendMessage("a-1", "您好", null))).Ok);

        async Task<Guid> LiveCallAsync(HubConnection agent, CallMedia media)
        {
            var offered = await agent.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, media);
            Assert.True(offered.Ok, offered.Error?.Code);
            await calls.WaitAsync(c => c.Id == offered.Value!.Id && c.State == CallState.Ringing);
            Assert.True((await visitor.InvokeAsync<HubResult<CallDto>>("AcceptCall", offered.Value!.Id)).Ok);
            return offered.Value!.Id;
        }

        async Task AssertEndedAsync(Guid callId, string reason, CallSide? by)
        {
            var ended = await calls.WaitAsync(c => c.Id == callId && c.State == CallState.Ended);
            Assert.Equal((reason, by), (ended.EndReason, ended.EndedBy));
        }

        // A visitor's second tab closing leaves the call up (the visitor is still there); the agent signing out closes
        // their hub connection, and after the reconnect grace the server ends the call as theirs, "disconnected".
        var first = await LiveCallAsync(leaving, CallMedia.Voice);
        await secondTab.DisposeAsync();
        using (var http = await server.AgentHttpAsync(adminToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await http.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        }

        await AssertEndedAsync(first, CallEndReasons.Disconnected, CallSide.Agent);
        await leaving.DisposeAsync();

        // Resolving the conversation ends its call.
        await using var admin = await server.ConnectAgentAsync();
        var second = await LiveCallAsync(admin, CallMedia.Video);
        Assert.True((await admin.InvokeAsync<HubResult<ConversationDto>>("Resolve", conversationId)).Ok);
        await AssertEndedAsync(second, CallEndReasons.ConversationResolved, null);
        Assert.True((await admin.InvokeAsync<HubResult<ConversationDto>>("Reopen", conversationId)).Ok);

        // A transfer ends the call, and the agent who lost the conversation gets call_not_found on accept and on every
        // signal — even before the end reaches them.
        await using var ben = await server.AgentAsync("Ben Caller");
        using var adminHttp = await server.AgentHttpAsync();
        (await adminHttp.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/transfer", new { agentId = ben.Id })).EnsureSuccessStatusCode();
        var third = await LiveCallAsync(ben.Hub, CallMedia.Video);
        Assert.True((await ben.Hub.InvokeAsync<HubResult<bool>>("SendCallSignal", third, "offer", "v=0 offer")).Value);
        using var benHttp = await server.AgentHttpAsync(ben.Token);
        (await benHttp.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/transfer", new { agentId = adminId })).EnsureSuccessStatusCode();
        AssertError("call_not_found", await ben.Hub.InvokeAsync<HubResult<bool>>("SendCallSignal", third, "ice", "{}"));
        AssertError("call_not_found", await ben.Hub.InvokeAsync<HubResult<CallDto>>("AcceptCall", third));
        await AssertEndedAsync(third, CallEndReasons.Transferred, null);

        // Erasing the contact deletes the conversation: its ringing call ends (nothing is written: the timeline is gone).
        var fourth = await admin.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice);
        Assert.True(fourth.Ok, fourth.Error?.Code);
        (await adminHttp.PostAsync($"/api/v1/contacts/{session.ContactId}/erase", null)).EnsureSuccessStatusCode();
        await AssertEndedAsync(fourth.Value!.Id, CallEndReasons.ConversationDeleted, null);

        // Starts are limited per caller, refused ones too, and a new connection does not start the count over: the
        // admin has offered three calls this minute (the first, second and fourth), so the next is refused from either.
        AssertError("call_rate_limited", await admin.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice));
        await using var fresh = await server.ConnectAgentAsync();
        AssertError("call_rate_limited", await fresh.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice));
        // Another agent has a budget of their own (Ben has offered once): his attempt is judged on its merits.
        AssertError("conversation_not_found", await ben.Hub.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Voice));
    }

    private static void AssertError<T>(string code, HubResult<T> result)
    {
        Assert.False(result.Ok);
        Assert.Equal(code, result.Error?.Code);
    }
}
