using System.Net;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.People;

/// <summary>Calls and assertions shared by the people and team API tests.</summary>
internal static class PeopleApi
{
    /// <summary>Asserts a problem answer: its status, its <c>code</c> and, when given, the <c>field</c> it names.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Equal(field, json.TryGetProperty("field", out var f) ? f.GetString() : null);
        }
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<int> UserCountAsync(KefuFactory server) => server.WithDbAsync(db => db.Users.CountAsync());

    /// <summary>An admin of a second workspace, signed in: every object of the demo workspace must be "not found" to them.</summary>
    public static async Task<HttpClient> ForeignAdminAsync(KefuFactory server)
    {
        var (_, email) = await server.CreateOtherTenantAsync();
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        return await server.AgentHttpAsync(await server.AgentTokenAsync(email, KefuFactory.AdminPassword));
    }

    public static Task<Person> AdminAsync(KefuFactory server) => new Workspace(server).PersonAsync(AgentRole.Admin, "Admin");
}
