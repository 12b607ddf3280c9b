using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Routing;

public sealed class RoutingGuardsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task SetPresence_WithAnUndefinedState_Is400_AndChangesNothing()
    {
        using var http = await _server.AgentHttpAsync();
        (await http.PutAsJsonAsync("/api/v1/agents/me/presence", new { state = "busy" })).EnsureSuccessStatusCode();

        var response = await http.PutAsJsonAsync("/api/v1/agents/me/presence", new { state = 42 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var presence = await _server.WithDbAsync(db => db.AgentProfiles.Select(p => p.Presence.ToString()).ToListAsync());
        Assert.Contains("Busy", presence);
        Assert.DoesNotContain("42", presence);
    }

    [Fact]
    public async Task RoutingStats_CoverEveryWorkspace_SoTheyAreOffUnlessTheOperatorTurnsThemOn()
    {
        using var admin = await _server.AgentHttpAsync();

        var response = await admin.GetAsync("/api/v1/routing/stats");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
