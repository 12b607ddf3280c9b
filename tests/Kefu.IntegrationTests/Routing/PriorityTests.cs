using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

/// <summary>Setting a conversation's priority by hand: <c>PUT /api/v1/conversations/{id}/priority</c>, the line, the journal and the live push.</summary>
public sealed class PriorityTests
{
    [Fact]
    public async Task Agent_RaisesAWaitingVisitorsPriority_TheyMoveUpTheLine_TheTimelineNamesTheAgent_AndConsolesHearIt()
    {
        await using var server = new KefuFactory().Start();
        // Manual assignment: the visitors stay in line while the admin's hub connection watches.
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Manual });
        await using var first = await server.VisitorAsync("first in line");
        await first.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        await using var second = await server.VisitorAsync("second in line");
        await second.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });
        await using var watcher = await server.ConnectAgentAsync();
        var changes = new Events<ConversationDto>(watcher, "ConversationChanged");
        var adminId = await new Workspace(server).AdminIdAsync();
        using var admin = await server.AgentHttpAsync();

        var response = await admin.PutAsJsonAsync($"/api/v1/conversations/{second.ConversationId}/priority", new { priority = "urgent" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ConversationPriority.Urgent, (await response.Content.ReadFromJsonAsync<ConversationDto>(KefuFactory.Json))!.Priority);
        await second.Queue.WaitAsync(s => s is { State: "waiting", Position: 1 });
        await first.Queue.WaitAsync(s => s is { State: "waiting", Position: 2 });
        await changes.WaitAsync(c => c.Id == second.ConversationId && c.Priority == ConversationPriority.Urgent);
        var step = await server.WithDbAsync(db => db.ConversationEvents
            .Where(e => e.ConversationId == second.ConversationId && e.Type == ConversationPriorityChanged.Name).SingleAsync());
        Assert.Equal(("agent", adminId), (step.ActorType, step.ActorId));
        using var data = JsonDocument.Parse(step.Data!);
        Assert.Equal(("normal", "urgent", "set_by_agent"),
            (data.RootElement.GetProperty("from").GetString(), data.RootElement.GetProperty("to").GetString(), data.RootElement.GetProperty("reason").GetString()));

        // The same priority again changes nothing and records nothing.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/conversations/{second.ConversationId}/priority", new { priority = "Urgent" })).StatusCode);
        Assert.Equal(1, await server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == second.ConversationId && e.Type == ConversationPriorityChanged.Name)));
    }

    [Fact]
    public async Task BadPriority_IsRefusedWithItsField_AndThoseWhoCannotSeeTheConversationGetNotFound_AndNothingChanges()
    {
        await using var server = new KefuFactory().Start();
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var narrow = await ws.PersonAsync(name: "Narrow");
        Assert.Equal(HttpStatusCode.NoContent,
            (await admin.Http.SetAccessAsync(narrow.Id, await admin.Http.CreateRoleAsync("Own only " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned"))).StatusCode);
        var (_, otherEmail) = await server.CreateOtherTenantAsync();
        using var stranger = await server.AgentHttpAsync(await server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var free = await ws.ConversationAsync();
        var url = $"/api/v1/conversations/{free}/priority";

        foreach (var bad in new object[] { new { priority = "extreme" }, new { priority = "2" }, new { priority = (string?)null } })
        {
            var refused = await admin.Http.PutAsJsonAsync(url, bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("invalid_priority", "priority"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await narrow.Http.PutAsJsonAsync(url, new { priority = "high" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync(url, new { priority = "high" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.PutAsJsonAsync($"/api/v1/conversations/{Guid.NewGuid()}/priority", new { priority = "high" })).StatusCode);
        Assert.Equal(ConversationPriority.Normal, await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == free).Select(c => c.Priority).SingleAsync()));
        Assert.False(await server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == free && e.Type == ConversationPriorityChanged.Name)));
    }
}
