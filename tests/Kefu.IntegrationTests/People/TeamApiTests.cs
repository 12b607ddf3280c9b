using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using static Kefu.IntegrationTests.Accounts.SignInClient;
using static Kefu.IntegrationTests.People.PeopleApi;

namespace Kefu.IntegrationTests.People;

/// <summary>Teams through the REST API: create, rename, members, delete; with bad input, the wrong role and another workspace.</summary>
public sealed class TeamApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Team_IsCreatedRenamedGivenMembersAndDeleted_EachStepAudited()
    {
        using var admin = await AdminAsync(_server);
        var ws = new Workspace(_server);
        using var a = await ws.PersonAsync(AgentRole.Agent, "Member A");
        using var b = await ws.PersonAsync(AgentRole.Agent, "Member B");
        var name = "Billing " + Guid.NewGuid().ToString("N")[..6];
        var id = (await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var renamed = await (await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}", new { name = name + " VIP" })).JsonAsync();
        Assert.Equal(name + " VIP", renamed.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}/members", new { agentIds = new[] { a.Id, b.Id } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}/members", new { agentIds = new[] { b.Id } })).StatusCode);

        var team = await (await admin.Http.GetAsync($"/api/v1/teams/{id}")).JsonAsync();
        Assert.Equal(b.Id, Assert.Single(team.GetProperty("members").EnumerateArray()).GetProperty("id").GetGuid());
        var listed = (await (await admin.Http.GetAsync("/api/v1/teams")).JsonAsync()).EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(1, listed.GetProperty("members").GetInt32());
        Assert.Equal(id, Assert.Single((await (await admin.Http.GetAsync($"/api/v1/agents/{b.Id}")).JsonAsync()).GetProperty("teams").EnumerateArray()).GetGuid());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/teams/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/v1/teams/{id}")).StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.TeamId == id)));
        Assert.Equal(["renamed", "members added=2 removed=0", "members added=0 removed=1"],
            (await AuditAsync(_server, AuditActions.TeamUpdated, id.ToString())).OrderBy(e => e.Id).Select(e => e.Detail));
        Assert.Single(await AuditAsync(_server, AuditActions.TeamDeleted, id.ToString()));
    }

    [Fact]
    public async Task Team_WithBadInput_NamesTheField_AndATeamAnInboxRoutesTo_IsNotDeleted()
    {
        using var admin = await AdminAsync(_server);
        using var foreign = await ForeignAdminAsync(_server);
        var taken = "Taken " + Guid.NewGuid().ToString("N")[..6];
        await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = taken })).JsonAsync(HttpStatusCode.Created);
        var id = (await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Other " + Guid.NewGuid().ToString("N")[..6] })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var theirs = await ForeignAgentIdAsync();

        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = taken }), HttpStatusCode.Conflict, "team_name_taken");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}", new { name = taken }), HttpStatusCode.Conflict, "team_name_taken");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}", new { name = "  " }), HttpStatusCode.BadRequest, "invalid_setting", "name");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/teams/{id}/members", new { agentIds = new[] { theirs } }), HttpStatusCode.BadRequest, "invalid_setting", "agentIds");
        Assert.Equal(0, await _server.WithDbAsync(db => db.TeamMembers.CountAsync(m => m.TeamId == id)));

        var inbox = await new Workspace(_server).DemoInboxIdAsync();
        Assert.True((await admin.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/routing", new { mode = "manual", teamId = id })).IsSuccessStatusCode);
        await AssertProblemAsync(await admin.Http.DeleteAsync($"/api/v1/teams/{id}"), HttpStatusCode.Conflict, "team_in_use");
        Assert.True((await admin.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/routing", new { mode = "manual", teamId = (Guid?)null })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/teams/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/teams/{id}")).StatusCode);
    }

    [Fact]
    public async Task TeamRoutes_AreForbiddenWithoutThePermission_AndNotFoundAcrossWorkspaces()
    {
        using var admin = await AdminAsync(_server);
        using var agent = await new Workspace(_server).PersonAsync(AgentRole.Agent, "Agent");
        using var foreign = await ForeignAdminAsync(_server);
        var name = "Mine " + Guid.NewGuid().ToString("N")[..6];
        var id = (await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        foreach (var http in new[] { agent.Http, foreign })
        {
            var expected = http == foreign ? HttpStatusCode.NotFound : HttpStatusCode.Forbidden;
            Assert.Equal(expected, (await http.GetAsync($"/api/v1/teams/{id}")).StatusCode);
            Assert.Equal(expected, (await http.PutAsJsonAsync($"/api/v1/teams/{id}", new { name = "Stolen" })).StatusCode);
            Assert.Equal(expected, (await http.PutAsJsonAsync($"/api/v1/teams/{id}/members", new { agentIds = Array.Empty<Guid>() })).StatusCode);
            Assert.Equal(expected, (await http.DeleteAsync($"/api/v1/teams/{id}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Agents' own" })).StatusCode);
        Assert.Equal(name, await _server.WithDbAsync(db => db.Teams.Where(t => t.Id == id).Select(t => t.Name).SingleAsync()));
    }

    [Fact]
    public async Task WithoutMail_AnInvitationIsRefusedOnThePasswordField_AndNobodyIsCreated()
    {
        using var admin = await AdminAsync(_server);
        var before = await UserCountAsync(_server);

        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = $"nomail-{Guid.NewGuid():N}@demo.test", displayName = "No mail" }),
            HttpStatusCode.BadRequest, "mail_not_configured", "password");

        Assert.Equal(before, await UserCountAsync(_server));
    }

    private async Task<Guid> ForeignAgentIdAsync()
    {
        var (_, email) = await _server.CreateOtherTenantAsync();
        return await UserIdAsync(_server, email);
    }
}
