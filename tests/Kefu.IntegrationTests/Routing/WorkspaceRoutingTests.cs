using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>What the agent workspace reads from routing: whom to transfer to, and who waits in line and why.</summary>
public sealed class WorkspaceRoutingTests
{
    [Fact]
    public async Task TransferTargets_ListTheInboxsAgentsWithPresenceAndLoad_AndTeams_OnlyForWhoMayTransfer()
    {
        await using var server = new KefuFactory().Start();
        await using var holder = await server.AgentAsync("Holder");
        await using var free = await server.AgentAsync("Free", capacity: 2);
        await using var away = await server.AgentAsync("Away", connect: false);
        await using var stranger = await server.AgentAsync("Stranger");
        await using var visitor = await server.VisitorAsync("please transfer me");
        using var holderHttp = await server.AgentHttpAsync(holder.Token);
        (await holderHttp.PostAsync($"/api/v1/conversations/{visitor.ConversationId}/take", null)).EnsureSuccessStatusCode();
        using var admin = await server.AgentHttpAsync();
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = "Billing" })).EnsureSuccessStatusCode();

        var targets = await holderHttp.GetFromJsonAsync<TransferTargets>($"/api/v1/conversations/{visitor.ConversationId}/transfer-targets", KefuFactory.Json);

        Assert.DoesNotContain(targets!.Agents, a => a.Id == holder.Id);
        var freeOne = Assert.Single(targets.Agents, a => a.Id == free.Id);
        Assert.Equal(("Free", PresenceState.Online, 0, 2, true), (freeOne.Name, freeOne.Presence, freeOne.Load, freeOne.Capacity, freeOne.Available));
        var awayOne = Assert.Single(targets.Agents, a => a.Id == away.Id);
        Assert.Equal((PresenceState.Offline, false), (awayOne.Presence, awayOne.Available));
        Assert.True(targets.Agents.ToList().FindIndex(a => a.Id == free.Id) < targets.Agents.ToList().FindIndex(a => a.Id == away.Id)); // who can take it first
        Assert.Contains(targets.Teams, t => t.Name == "Billing");

        using var strangerHttp = await server.AgentHttpAsync(stranger.Token);
        Assert.Equal(HttpStatusCode.Forbidden, (await strangerHttp.GetAsync($"/api/v1/conversations/{visitor.ConversationId}/transfer-targets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/conversations/{visitor.ConversationId}/transfer-targets")).StatusCode); // supervisors may move anyone's
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/conversations/{Guid.NewGuid()}/transfer-targets")).StatusCode);
    }

    [Fact]
    public async Task QueueOverview_NamesEachWaitingVisitor_WithWhyTheyWait_AndTheirPriority()
    {
        await using var server = new KefuFactory { Bot = true }.Start();
        await using var handedOff = await BotVisitor.StartAsync(server);
        await handedOff.AskAsync("how much is shipping");
        await handedOff.AskAsync("human please");
        await using var leaving = await BotVisitor.StartAsync(server);
        await leaving.AskAsync("human please");
        await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == leaving.ConversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Priority, ConversationPriority.Urgent)));
        using var admin = await server.AgentHttpAsync();
        await Wait.UntilAsync(async () => (await OverviewAsync(admin)).Waiting.Count(w => w.ConversationId == handedOff.ConversationId || w.ConversationId == leaving.ConversationId) == 2, "both visitors on the queue board");

        var left = await leaving.Hub.InvokeAsync<HubResult<QueueStatusEvent>>("LeaveMessage", leaving.ConversationId);
        Assert.Equal("left_message", left.Value!.State);
        var overview = await OverviewAsync(admin);

        var waiting = Assert.Single(overview.Waiting, w => w.ConversationId == handedOff.ConversationId);
        var name = await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == handedOff.ConversationId)
            .Join(db.Contacts, c => c.ContactId, p => p.Id, (c, p) => p.Name).SingleAsync());
        Assert.Equal((name, "handed_off", "requested", ConversationPriority.Normal), (waiting.ContactName, waiting.Reason, waiting.HandoffReason, waiting.Priority));
        Assert.StartsWith("Visitor ", waiting.ContactName, StringComparison.Ordinal);
        var message = Assert.Single(overview.LeftMessages!, w => w.ConversationId == leaving.ConversationId);
        Assert.Equal(("left_message", ConversationPriority.Urgent, 0), (message.Reason, message.Priority, message.Position));
        Assert.DoesNotContain(overview.Waiting, w => w.ConversationId == leaving.ConversationId);
    }

    private static async Task<RoutingOverview> OverviewAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<RoutingOverview>("/api/v1/routing/overview", KefuFactory.Json))!;
}
