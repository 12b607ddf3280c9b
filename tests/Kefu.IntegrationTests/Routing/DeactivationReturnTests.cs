using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Deactivating a person gives their open conversations back to the line, so the router hands them to someone else.</summary>
public sealed class DeactivationReturnTests
{
    [Fact]
    public async Task DeactivatedAgentsOpenConversation_GoesBackInLineWithItsTeam_TheVisitorSeesTheirPlace_AndATeammateGetsIt()
    {
        await using var server = new KefuFactory().Start();
        using var admin = await server.AgentHttpAsync();
        var team = await (await admin.PostAsJsonAsync("/api/v1/teams", new { name = "Night shift" })).Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        await using var leaving = await server.AgentAsync("Leaving");
        await using var staying = await server.AgentAsync("Staying", connect: false);
        foreach (var id in new[] { leaving.Id, staying.Id })
        {
            (await admin.PutAsJsonAsync($"/api/v1/agents/{id}/routing", new { teamIds = new[] { teamId } })).EnsureSuccessStatusCode();
        }

        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Auto, teamId });

        await using var visitor = await server.VisitorAsync("my order is late");
        Assert.Equal(leaving.Id, await server.WaitForAssigneeAsync(visitor.ConversationId));
        await visitor.Queue.WaitAsync(s => s.State == "assigned");
        await using var resolved = await server.VisitorAsync("thanks, all good");
        Assert.Equal(leaving.Id, await server.WaitForAssigneeAsync(resolved.ConversationId));
        using (var theirs = await server.AgentHttpAsync(leaving.Token))
        {
            (await theirs.PostAsync($"/api/v1/conversations/{resolved.ConversationId}/resolve", null)).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/agents/{leaving.Id}/deactivate", null)).StatusCode);

        // Nobody else is connected yet: the visitor is back in line and told so.
        await visitor.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        var row = await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == visitor.ConversationId)
            .Select(c => new { c.AssigneeId, c.Handler, c.TeamId }).SingleAsync());
        Assert.Equal(((Guid?)null, ConversationHandler.Queue, (Guid?)teamId), (row.AssigneeId, row.Handler, row.TeamId));
        Assert.Equal(teamId, await server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == visitor.ConversationId).Select(q => q.TeamId).SingleAsync()));
        var moved = await server.WithDbAsync(db => db.ConversationEvents
            .Where(e => e.ConversationId == visitor.ConversationId && e.Type == ConversationTransferred.Name).SingleAsync());
        Assert.Equal("system", moved.ActorType);
        using (var data = JsonDocument.Parse(moved.Data!))
        {
            Assert.Equal(("deactivated", leaving.Id), (data.RootElement.GetProperty("reason").GetString(), data.RootElement.GetProperty("fromAgentId").GetGuid()));
        }

        // A resolved conversation stays as it was.
        Assert.Equal(leaving.Id, await server.AssigneeAsync(resolved.ConversationId));

        // The teammate comes online: the router gives it to them, and their hub hears it.
        var changes = new Events<ConversationDto>(staying.Hub, "ConversationChanged");
        await staying.Hub.StartAsync();
        Assert.Equal(staying.Id, await server.WaitForAssigneeAsync(visitor.ConversationId, timeoutSeconds: 15));
        await changes.WaitAsync(c => c.Id == visitor.ConversationId && c.AssigneeId == staying.Id);
        await Wait.UntilAsync(() => Task.FromResult(visitor.Queue.Seen.Count(s => s.State == "assigned") >= 2), "the visitor is told they have an agent again", 10);
    }
}
