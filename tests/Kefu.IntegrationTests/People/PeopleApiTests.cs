using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using static Kefu.IntegrationTests.Accounts.SignInClient;
using static Kefu.IntegrationTests.People.PeopleApi;

namespace Kefu.IntegrationTests.People;

/// <summary>
/// Editing people through the REST API: details, name and e-mail, routing profile (capacity, skills, shifts, time
/// zone), deactivation and reactivation. Each with bad input (the field is named, nothing is stored), a caller without
/// the People permission (403) and another workspace's admin (404).
/// </summary>
public sealed class PeopleApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task List_AndDetails_ShowRoleTeamsStatusAndLastSignIn_AndSearchFindsByNameOrEmail()
    {
        using var admin = await AdminAsync(_server);
        var ws = new Workspace(_server);
        using var person = await ws.PersonAsync(AgentRole.Agent, "Zhang Wei " + Guid.NewGuid().ToString("N")[..6]);
        var team = (await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "T " + Guid.NewGuid().ToString("N")[..6] })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person.Id}/routing", new { teamIds = new[] { team } })).StatusCode);

        var list = await (await admin.Http.GetAsync("/api/v1/agents?search=" + Uri.EscapeDataString(person.Email[..12]))).JsonAsync();
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(person.Id, row.GetProperty("id").GetGuid());
        Assert.Equal("agent", row.GetProperty("role").GetString());
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.Equal(team, Assert.Single(row.GetProperty("teams").EnumerateArray()).GetGuid());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, row.GetProperty("lastSignInAt").ValueKind);
        Assert.Empty((await (await admin.Http.GetAsync("/api/v1/agents?search=nobody-by-this-name")).JsonAsync()).EnumerateArray());

        var details = await (await admin.Http.GetAsync($"/api/v1/agents/{person.Id}")).JsonAsync();
        Assert.Equal(person.Email, details.GetProperty("email").GetString());
        Assert.Equal(3, details.GetProperty("capacity").GetInt32());
        Assert.Equal("UTC", details.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Update_ChangesNameAndEmail_RefusesATakenEmailOnTheField_AndIsAudited()
    {
        using var admin = await AdminAsync(_server);
        var ws = new Workspace(_server);
        using var person = await ws.PersonAsync(AgentRole.Agent, "Before");
        var email = $"renamed-{Guid.NewGuid():N}@demo.test";

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person.Id}", new { displayName = "After", email })).StatusCode);

        var details = await (await admin.Http.GetAsync($"/api/v1/agents/{person.Id}")).JsonAsync();
        Assert.Equal(("After", email), (details.GetProperty("displayName").GetString(), details.GetProperty("email").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword)).StatusCode);
        Assert.Equal("profile changed=displayName,email", Assert.Single(await AuditAsync(_server, AuditActions.AgentUpdated, person.Id.ToString())).Detail);

        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person.Id}", new { displayName = "Third", email = KefuFactory.AdminEmail }), HttpStatusCode.Conflict, "email_taken", "email");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person.Id}", new { displayName = "Third", email = "no-at-sign" }), HttpStatusCode.BadRequest, "invalid_request", "email");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync($"/api/v1/agents/{person.Id}", new { displayName = "", email }), HttpStatusCode.BadRequest, "invalid_request", "displayName");
        Assert.Equal("After", await _server.WithDbAsync(db => db.Users.Where(u => u.Id == person.Id).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task PeopleRoutes_AreForbiddenWithoutThePermission_NotFoundAcrossWorkspaces_AndNeverAboveOnesOwnRole()
    {
        var ws = new Workspace(_server);
        using var admin = await AdminAsync(_server);
        using var supervisor = await ws.PersonAsync(AgentRole.Supervisor, "Sup");
        using var agent = await ws.PersonAsync(AgentRole.Agent, "Agent");
        using var foreign = await ForeignAdminAsync(_server);
        var body = new { displayName = "X", email = $"x-{Guid.NewGuid():N}@demo.test" };

        foreach (var (method, path) in new[] { ("GET", ""), ("PUT", ""), ("POST", "/deactivate"), ("POST", "/reactivate"), ("POST", "/invitation"), ("POST", "/sessions/end") })
        {
            var url = $"/api/v1/agents/{agent.Id}{path}";
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(agent.Http, method, url, body)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(foreign, method, url, body)).StatusCode);
            // A supervisor manages people, but not an admin: every permission an admin holds is one they lack.
            Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(supervisor.Http, method == "GET" ? "PUT" : method, $"/api/v1/agents/{admin.Id}{path}", body)).StatusCode);
        }

        Assert.Equal("Admin", await _server.WithDbAsync(db => db.Users.Where(u => u.Id == admin.Id).Select(u => u.DisplayName).SingleAsync()));
    }

    [Fact]
    public async Task Deactivate_ThenReactivate_LetsThePersonSignInAgain_AndTheListShowsEachState()
    {
        using var admin = await AdminAsync(_server);
        using var person = await new Workspace(_server).PersonAsync(AgentRole.Agent, "Returning");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"/api/v1/agents/{person.Id}/deactivate", null)).StatusCode);
        Assert.Equal("deactivated", await StatusAsync(admin.Http, person.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, person.Email, KefuFactory.AdminPassword)).StatusCode);
        await AssertProblemAsync(await admin.Http.PostAsync($"/api/v1/agents/{admin.Id}/deactivate", null), HttpStatusCode.BadRequest, "cannot_deactivate_self");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"/api/v1/agents/{person.Id}/reactivate", null)).StatusCode);

        Assert.Equal("active", await StatusAsync(admin.Http, person.Id));
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, person.Email, KefuFactory.AdminPassword)).StatusCode);
        Assert.Single(await AuditAsync(_server, AuditActions.AgentReactivated, person.Id.ToString()));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"/api/v1/agents/{person.Id}/reactivate", null)).StatusCode); // already active: nothing to do
        Assert.Single(await AuditAsync(_server, AuditActions.AgentReactivated, person.Id.ToString()));
    }

    [Fact]
    public async Task Routing_RefusesCapacityZeroForSomeoneWhoTakesConversations_OverlappingShifts_AndUnknownZones_OnTheirFields()
    {
        using var admin = await AdminAsync(_server);
        using var person = await new Workspace(_server).PersonAsync(AgentRole.Agent, "Shifts");
        var url = $"/api/v1/agents/{person.Id}/routing";

        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { capacity = 0 }), HttpStatusCode.BadRequest, "invalid_setting", "capacity");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { capacity = 101 }), HttpStatusCode.BadRequest, "invalid_setting", "capacity");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { shifts = "mon-fri 09:00-17:00; wed 16:00-20:00", timeZone = "Asia/Shanghai", capacity = 5 }),
            HttpStatusCode.BadRequest, "invalid_setting", "shifts");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { shifts = "sat 22:00-03:00; sun 02:00-04:00" }), HttpStatusCode.BadRequest, "invalid_setting", "shifts");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { shifts = "mon 09:00-17:00", timeZone = "Mars/Olympus" }), HttpStatusCode.BadRequest, "invalid_setting", "timeZone");
        await AssertProblemAsync(await admin.Http.PutAsJsonAsync(url, new { skills = "en:11" }), HttpStatusCode.BadRequest, "invalid_setting", "skills");
        var untouched = await (await admin.Http.GetAsync($"/api/v1/agents/{person.Id}")).JsonAsync();
        Assert.Equal(3, untouched.GetProperty("capacity").GetInt32());
        Assert.Empty(untouched.GetProperty("shifts").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync(url, new
        {
            capacity = 5, skills = "en:5 zh:3", shifts = "mon-tue 09:00-17:00; fri 22:00-02:00", timeZone = "Asia/Shanghai",
        })).StatusCode);

        var saved = await (await admin.Http.GetAsync($"/api/v1/agents/{person.Id}")).JsonAsync();
        Assert.Equal(5, saved.GetProperty("capacity").GetInt32());
        Assert.Equal("Asia/Shanghai", saved.GetProperty("timeZone").GetString());
        Assert.Equal(["en:5", "zh:3"], saved.GetProperty("skills").EnumerateArray().Select(s => $"{s.GetProperty("name").GetString()}:{s.GetProperty("level").GetInt32()}"));
        Assert.Equal(["mon 09:00-17:00", "tue 09:00-17:00", "fri 22:00-02:00"],
            saved.GetProperty("shifts").EnumerateArray().Select(s => $"{s.GetProperty("day").GetString()} {s.GetProperty("start").GetString()}-{s.GetProperty("end").GetString()}"));

        // Someone whose role takes no conversations (an auditor) may have capacity 0.
        var auditor = await admin.Http.CreateRoleAsync("Auditor " + Guid.NewGuid().ToString("N")[..6], "audit");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(person.Id, auditor)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync(url, new { capacity = 0 })).StatusCode);
    }

    private static async Task<string?> StatusAsync(HttpClient http, Guid id) =>
        (await (await http.GetAsync($"/api/v1/agents/{id}")).JsonAsync()).GetProperty("status").GetString();

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string url, object body) =>
        http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method is "PUT" or "POST" ? JsonContent.Create(body) : null });
}
