using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Access;

/// <summary>Custom roles, role assignment and its limits, through the REST API.</summary>
public sealed class RoleTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task ACustomRole_GrantsExactlyItsPermissions_AndAnEditAppliesWithoutSigningInAgain()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var person = await ws.PersonAsync();
        var role = await admin.Http.CreateRoleAsync("Floor lead " + Guid.NewGuid().ToString("N")[..6], "conversationsAll");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(person.Id, role)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await person.Http.GetAsync("/api/v1/routing/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.Http.GetAsync("/api/v1/contacts/" + Guid.NewGuid())).StatusCode);

        var edit = await admin.Http.PutAsJsonAsync($"/api/v1/roles/{role}", new { name = "Floor lead 2 " + role[..4], permissions = new[] { "conversationsAll", "supervise" } });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        // The same token: permissions are read per request, not from the sign-in claims.
        Assert.Equal(HttpStatusCode.OK, (await person.Http.GetAsync("/api/v1/routing/overview")).StatusCode);
        var audit = await _server.WithDbAsync(db => db.AuditEntries.Where(e => e.TargetId == role).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditActions.RoleCreated, AuditActions.RoleUpdated], audit);
    }

    [Fact]
    public async Task ASupervisor_CannotHandOutOrTouchPermissionsTheyLack()
    {
        var ws = new Workspace(_server);
        using var supervisor = await ws.PersonAsync(AgentRole.Supervisor);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();

        var createAdmin = await supervisor.Http.PostAsJsonAsync("/api/v1/agents", new { email = $"x{Guid.NewGuid():N}@demo.test", displayName = "X", password = KefuFactory.AdminPassword, role = "admin" });
        var promote = await supervisor.Http.SetAccessAsync(agent.Id, "admin");
        var demoteAdmin = await supervisor.Http.SetAccessAsync(admin.Id, "agent");
        var deactivateAdmin = await supervisor.Http.PostAsync($"/api/v1/agents/{admin.Id}/deactivate", null);
        var settingsRole = await supervisor.Http.PostAsJsonAsync("/api/v1/roles", new { name = "Sneaky", permissions = new[] { "settings" } });

        Assert.All(new[] { createAdmin, promote, demoteAdmin, deactivateAdmin, settingsRole }, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(AgentRole.Admin, await _server.WithDbAsync(db => db.Users.Where(u => u.Id == admin.Id).Select(u => u.Role).SingleAsync()));
        Assert.Equal(AgentRole.Agent, await _server.WithDbAsync(db => db.Users.Where(u => u.Id == agent.Id).Select(u => u.Role).SingleAsync()));

        // Within their own permissions, they may.
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.Http.SetAccessAsync(agent.Id, "supervisor")).StatusCode);
    }

    [Fact]
    public async Task TheLastAgentWithEveryPermission_CannotBeDemoted()
    {
        var (_, email) = await _server.CreateOtherTenantAsync();
        var id = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await _server.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email, KefuFactory.AdminPassword));

        var response = await http.SetAccessAsync(id, "supervisor");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("last_admin", await response.Content.ReadAsStringAsync());
        Assert.Equal(AgentRole.Admin, await _server.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Role).SingleAsync()));
    }

    [Theory]
    [InlineData("", "conversationsAll")]
    [InlineData("Admin", "conversationsAll")]
    [InlineData("Night shift", "flyToTheMoon")]
    [InlineData("\u202E\u0000", "conversationsAll")]
    public async Task BadRoleInput_Gets400_AndStoresNothing(string name, string permission)
    {
        using var admin = await new Workspace(_server).PersonAsync(AgentRole.Admin);
        var before = await _server.WithDbAsync(db => db.CustomRoles.CountAsync());

        var response = await admin.Http.PostAsJsonAsync("/api/v1/roles", new { name, permissions = new[] { permission } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await _server.WithDbAsync(db => db.CustomRoles.CountAsync()));
    }

    [Fact]
    public async Task ARoleInUse_CannotBeDeleted_ADuplicateNameConflicts_AndAnotherWorkspacesRoleIsNotFound()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var holder = await ws.PersonAsync();
        var name = "Holders " + Guid.NewGuid().ToString("N")[..6];
        var role = await admin.Http.CreateRoleAsync(name, "conversationsAssigned");
        await admin.Http.SetAccessAsync(holder.Id, role);

        var duplicate = await admin.Http.PostAsJsonAsync("/api/v1/roles", new { name, permissions = Array.Empty<string>() });
        var inUse = await admin.Http.DeleteAsync($"/api/v1/roles/{role}");
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        var otherId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).Select(u => u.Id).SingleAsync());
        await _server.WithDbAsync(db => db.Users.Where(u => u.Id == otherId).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var other = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var foreignEdit = await other.PutAsJsonAsync($"/api/v1/roles/{role}", new { name = "Mine", permissions = Array.Empty<string>() });
        var foreignDelete = await other.DeleteAsync($"/api/v1/roles/{role}");
        var foreignAssign = await other.SetAccessAsync(holder.Id, "agent");
        var foreignList = await other.GetStringAsync("/api/v1/roles");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        Assert.All(new[] { foreignEdit, foreignDelete, foreignAssign }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.DoesNotContain(role, foreignList);

        await admin.Http.SetAccessAsync(holder.Id, "agent");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/roles/{role}")).StatusCode);
        var roles = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/roles");
        Assert.DoesNotContain(roles.EnumerateArray(), r => r.GetProperty("id").GetString() == role);
        Assert.Contains(roles.EnumerateArray(), r => r.GetProperty("id").GetString() == "admin" && r.GetProperty("builtIn").GetBoolean());
    }
}
