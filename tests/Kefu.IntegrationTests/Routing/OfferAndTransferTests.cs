using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Offer-and-accept with a timeout, transfers with their errors, and returning visitors.</summary>
public sealed class OfferAndTransferTests
{
    [Fact]
    public async Task OfferNotAccepted_ExpiresToTheNextAgent_FirstGoesAway_SecondAccepts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Offer, offerTimeoutSeconds = 30 });
        await using var a = await server.AgentAsync("A");
        await using var b = await server.AgentAsync("B");
        await using var visitor = await server.VisitorAsync("anyone?");

        // Poll rather than wait on both: a waiter left behind would swallow the other agent's later event.
        await Wait.UntilAsync(() => Task.FromResult(a.Offers.Seen.Count + b.Offers.Seen.Count > 0), "an offer to either agent", 10);

        var (offered, other) = a.Offers.Seen.Count > 0 ? (a, b) : (b, a);
        Assert.Equal(visitor.ConversationId, Assert.Single(offered.Offers.Seen).Conversation.Id);
        Assert.Empty(other.Offers.Seen);

        clock.Advance(TimeSpan.FromSeconds(31));
        var second = await other.Offers.WaitAsync(o => o.Conversation.Id == visitor.ConversationId);
        var accepted = await other.Hub.InvokeAsync<HubResult<ConversationDto>>("AcceptOffer", visitor.ConversationId);
        var late = await offered.Hub.InvokeAsync<HubResult<ConversationDto>>("AcceptOffer", visitor.ConversationId);

        Assert.True(second.ExpiresAt > clock.GetUtcNow().UtcDateTime);
        Assert.Equal(other.Id, accepted.Value!.AssigneeId);
        Assert.Equal("offer_not_found", late.Error!.Code);
        Assert.Equal(PresenceState.Away, await server.WithDbAsync(db => db.AgentProfiles.Where(p => p.UserId == offered.Id).Select(p => p.Presence).FirstAsync()));
        var timeline = await server.TimelineAsync(visitor.ConversationId);
        Assert.Equal(["conversation.queued", "conversation.offered", "offer.expired", "conversation.offered", "conversation.assigned"],
            timeline.Where(e => !e.StartsWith("conversation.created", StringComparison.Ordinal)).Select(e => e.Split(' ')[0]));
    }

    [Fact]
    public async Task Transfer_ToAnAgentWithNote_ThenBadTargetsChangeNothing()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var a = await server.AgentAsync("A", capacity: 1);
        await using var visitor = await server.VisitorAsync("help");
        Assert.Equal(a.Id, await server.WaitForAssigneeAsync(visitor.ConversationId));
        await using var b = await server.AgentAsync("B");
        await using var offline = await server.AgentAsync("Offline", connect: false);
        using var http = await server.AgentHttpAsync(a.Token);
        var url = $"/api/v1/conversations/{visitor.ConversationId}/transfer";

        var moved = await http.PostAsJsonAsync(url, new { agentId = b.Id, note = "VIP refund, see order 42" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(b.Id, await server.AssigneeAsync(visitor.ConversationId));
        Assert.Contains(await server.TimelineAsync(visitor.ConversationId), e => e.StartsWith("conversation.transferred", StringComparison.Ordinal) && e.Contains("order 42"));
        var timeline = await http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{visitor.ConversationId}/timeline");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("type").GetString() == "conversation.transferred" && e.GetProperty("data").GetString()!.Contains("order 42"));

        using var bHttp = await server.AgentHttpAsync(b.Token);
        await AssertProblemAsync(await bHttp.PostAsJsonAsync(url, new { agentId = offline.Id }), HttpStatusCode.Conflict, "agent_offline");
        await AssertProblemAsync(await bHttp.PostAsJsonAsync(url, new { agentId = Guid.NewGuid() }), HttpStatusCode.NotFound, "agent_not_found");
        await AssertProblemAsync(await bHttp.PostAsJsonAsync(url, new { teamId = Guid.NewGuid() }), HttpStatusCode.NotFound, "team_not_found");
        await AssertProblemAsync(await bHttp.PostAsJsonAsync(url, new { agentId = a.Id, teamId = Guid.NewGuid() }), HttpStatusCode.BadRequest, "invalid_transfer");
        await AssertProblemAsync(await http.PostAsJsonAsync(url, new { agentId = a.Id }), HttpStatusCode.Forbidden, "forbidden"); // a no longer holds it
        using var admin = await server.AgentHttpAsync();
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/agents/{b.Id}/routing", new { capacity = -1 }), HttpStatusCode.BadRequest, "invalid_setting");
        await AssertProblemAsync(await admin.PutAsJsonAsync($"/api/v1/agents/{Guid.NewGuid()}/routing", new { capacity = 2 }), HttpStatusCode.NotFound, "agent_not_found");
        Assert.Equal(b.Id, await server.AssigneeAsync(visitor.ConversationId));
    }

    [Fact]
    public async Task TransferToTeam_QueuesForThatTeam_AndAMemberGetsIt()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto });
        await using var a = await server.AgentAsync("A", capacity: 1);
        await using var visitor = await server.VisitorAsync("billing question");
        Assert.Equal(a.Id, await server.WaitForAssigneeAsync(visitor.ConversationId));
        using var admin = await server.AgentHttpAsync();
        var team = await (await admin.PostAsJsonAsync("/api/v1/teams", new { name = "Billing" })).Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        await using var billing = await server.AgentAsync("Billing agent");
        (await admin.PutAsJsonAsync($"/api/v1/agents/{billing.Id}/routing", new { teamIds = new[] { teamId } })).EnsureSuccessStatusCode();
        using var http = await server.AgentHttpAsync(a.Token);

        (await http.PostAsJsonAsync($"/api/v1/conversations/{visitor.ConversationId}/transfer", new { teamId, note = "for billing" })).EnsureSuccessStatusCode();

        await Wait.UntilAsync(async () => await server.AssigneeAsync(visitor.ConversationId) == billing.Id, "the billing agent assigned", 10);
    }

    [Fact]
    public async Task ReturningVisitor_GoesBackToTheirPreviousAgent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto, strategy = RoutingStrategy.RoundRobin });
        await using var a = await server.AgentAsync("A");
        await using var b = await server.AgentAsync("B");
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "r-1", "first visit", null));
        var previous = await server.WaitForAssigneeAsync(first.Value!.ConversationId);
        using var http = await server.AgentHttpAsync();
        (await http.PostAsync($"/api/v1/conversations/{first.Value.ConversationId}/resolve", null)).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(3)); // past the reopen window: a new conversation
        var later = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "r-2", "back again", null));

        Assert.NotEqual(first.Value.ConversationId, later.Value!.ConversationId);
        Assert.Equal(previous, await server.WaitForAssigneeAsync(later.Value.ConversationId));
        Assert.Contains(await server.TimelineAsync(later.Value.ConversationId), e => e.StartsWith("conversation.assigned", StringComparison.Ordinal) && e.Contains("returning"));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }
}
