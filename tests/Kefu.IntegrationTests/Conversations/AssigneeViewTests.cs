using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Conversations;

/// <summary>The workspace's views (Mine, Unassigned, Team, All) and their counts, through the REST API, within each role's scope.</summary>
public sealed class AssigneeViewTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task TeamScopedAgent_SeesMineUnassignedAndTeam_WithCountsOfTheirLists_AndIsRefusedAll()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var lead = await ws.PersonAsync(name: "Lead");
        using var mate = await ws.PersonAsync(name: "Mate");
        using var outsider = await ws.PersonAsync(name: "Outsider");
        var team = await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Views " + Guid.NewGuid().ToString("N")[..6] })).Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        foreach (var member in new[] { lead.Id, mate.Id })
        {
            (await admin.Http.PutAsJsonAsync($"/api/v1/agents/{member}/routing", new { teamIds = new[] { teamId } })).EnsureSuccessStatusCode();
        }

        var role = await admin.Http.CreateRoleAsync("Team only " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned", "conversationsTeam");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(lead.Id, role)).StatusCode);

        var mine = await ws.ConversationAsync(assignee: lead.Id);
        var mateOwn = await ws.ConversationAsync(assignee: mate.Id);
        var outsiders = await ws.ConversationAsync(assignee: outsider.Id);
        var free = await ws.ConversationAsync();
        var done = await ws.ConversationAsync(assignee: lead.Id);
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == done).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Resolved)));

        var counts = await lead.Http.GetFromJsonAsync<ConversationCounts>("/api/v1/conversations/counts", KefuFactory.Json);
        var mineList = await ListAsync(lead, "mine");
        var unassigned = await ListAsync(lead, "unassigned");
        var teamList = await ListAsync(lead, "team");

        Assert.Equal([mine], mineList);
        Assert.Contains(free, unassigned);
        Assert.DoesNotContain(mine, unassigned);
        Assert.Equal(new HashSet<Guid> { mine, mateOwn }, teamList.ToHashSet());
        Assert.DoesNotContain(outsiders, mineList.Concat(unassigned).Concat(teamList));
        Assert.Equal((1, unassigned.Count, 2), (counts!.Mine, counts.Unassigned, counts.Team));
        Assert.Null(counts.All); // no ConversationsAll: no All tab, and the list refuses
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.Http.GetAsync("/api/v1/conversations?view=all")).StatusCode);
        Assert.Equal([done], await ListAsync(lead, "mine", "resolved"));
    }

    [Fact]
    public async Task TeamView_AlsoListsUnassignedConversationsWaitingInTheTeamsLine_AndItsCountIsTheListsLength()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var member = await ws.PersonAsync(name: "Member");
        using var mate = await ws.PersonAsync(name: "Mate");
        var teamId = (await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Line " + Guid.NewGuid().ToString("N")[..6] }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var person in new[] { member.Id, mate.Id })
        {
            (await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person}/routing", new { teamIds = new[] { teamId } })).EnsureSuccessStatusCode();
        }

        // An inbox routed to the team (manual assignment keeps the visitor in line) and one routed to nobody in particular.
        var (teamInbox, teamKey) = await ws.InboxAsync("Team line");
        (await admin.Http.PutAsJsonAsync($"/api/v1/inboxes/{teamInbox}/routing", new { teamId, mode = AssignmentMode.Manual }, KefuFactory.Json)).EnsureSuccessStatusCode();
        var (_, otherKey) = await ws.InboxAsync("Anyone's line");
        var waitingForTeam = await VisitorAsync(teamKey);
        var waitingForAnyone = await VisitorAsync(otherKey);
        var mates = await ws.ConversationAsync(assignee: mate.Id);
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.QueueEntries.AnyAsync(q => q.ConversationId == waitingForTeam)), "the conversation waits for the team");

        var teamList = await ListAsync(member, "team");
        var counts = await member.Http.GetFromJsonAsync<ConversationCounts>("/api/v1/conversations/counts", KefuFactory.Json);

        Assert.Contains(waitingForTeam, teamList);
        Assert.Contains(mates, teamList);
        Assert.DoesNotContain(waitingForAnyone, teamList);
        Assert.Equal(teamList.Count, counts!.Team);
        var listed = (await member.Http.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?view=team", KefuFactory.Json))!.Single(c => c.Id == waitingForTeam);
        Assert.Equal(teamId, listed.TeamId);

        // Taken by someone: no longer the team's waiting work, and the count follows the list.
        (await admin.Http.PostAsync($"/api/v1/conversations/{waitingForTeam}/take", null)).EnsureSuccessStatusCode();
        teamList = await ListAsync(member, "team");
        counts = await member.Http.GetFromJsonAsync<ConversationCounts>("/api/v1/conversations/counts", KefuFactory.Json);
        Assert.DoesNotContain(waitingForTeam, teamList);
        Assert.Equal(teamList.Count, counts!.Team);
    }

    [Fact]
    public async Task Admin_SeesAll_WithACountOfOpenOnes_AndABadViewIsABadRequest()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var other = await ws.PersonAsync(name: "Other");
        var theirs = await ws.ConversationAsync(assignee: other.Id);
        var free = await ws.ConversationAsync();

        var counts = await admin.Http.GetFromJsonAsync<ConversationCounts>("/api/v1/conversations/counts", KefuFactory.Json);
        var all = await ListAsync(admin, "all");

        Assert.Contains(theirs, all);
        Assert.Contains(free, all);
        Assert.Equal(all.Count, counts!.All);
        Assert.Equal(0, counts.Mine);
        Assert.Null(counts.Team); // in no team
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.GetAsync("/api/v1/conversations?view=everyone")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.GetAsync("/api/v1/conversations?view=2")).StatusCode);
    }

    private async Task<Guid> VisitorAsync(string key)
    {
        var session = await _server.NewVisitorAsync(key);
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), "hello", null));
        return ack.Value!.ConversationId;
    }


    private static async Task<List<Guid>> ListAsync(Person person, string view, string status = "open") =>
        [.. (await person.Http.GetFromJsonAsync<List<ConversationDto>>($"/api/v1/conversations?view={view}&status={status}&limit=500", KefuFactory.Json))!.Select(c => c.Id)];
}
