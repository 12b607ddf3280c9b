using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Accounts;

/// <summary><c>GET /api/v1/audit</c>: filters, paging, bad input, permission, workspace isolation, and append-only storage.</summary>
public sealed class AuditLogTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(-10);
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task List_IsNewestFirst_AndFiltersByTimeActionActorTargetAndOutcome()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var actor = Guid.NewGuid();
        var ids = await _server.SeedAsync(
            AuditRig.Entry(ws.TenantId, Day.AddHours(1), AuditActions.SignedIn, actor),
            AuditRig.Entry(ws.TenantId, Day.AddHours(2), AuditActions.SignInFailed, outcome: AuditOutcome.Failed),
            AuditRig.Entry(ws.TenantId, Day.AddHours(3), AuditActions.AgentCreated, actor, "agent", "a-1"),
            AuditRig.Entry(ws.TenantId, Day.AddHours(4), AuditActions.AgentDeactivated, actor, "agent", "a-2"),
            AuditRig.Entry(ws.TenantId, Day.AddHours(5), AuditActions.SettingChanged, null, "inbox", "i-1", AuditOutcome.Denied),
            AuditRig.Entry(ws.TenantId, Day.AddDays(-3), AuditActions.SignedIn, actor));
        var window = $"from={Iso(Day)}&to={Iso(Day.AddDays(1))}";

        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], await IdsAsync(ws, window));
        Assert.Equal([ids[1], ids[0]], await IdsAsync(ws, window + "&action=auth."));
        Assert.Equal([ids[0]], await IdsAsync(ws, window + "&action=auth.signed_in"));
        Assert.Equal([ids[3], ids[2], ids[0]], await IdsAsync(ws, window + "&actorId=" + actor));
        Assert.Equal([ids[3], ids[2]], await IdsAsync(ws, window + "&targetType=agent"));
        Assert.Equal([ids[3]], await IdsAsync(ws, window + "&targetType=agent&targetId=a-2"));
        Assert.Equal([ids[4]], await IdsAsync(ws, window + "&outcome=denied"));
        Assert.Equal([ids[1]], await IdsAsync(ws, window + "&outcome=FAILED"));
        Assert.Equal([ids[2]], await IdsAsync(ws, $"from={Iso(Day.AddHours(3))}&to={Iso(Day.AddHours(4))}"));
        Assert.Equal([ids[5]], await IdsAsync(ws, $"from={Iso(Day.AddDays(-4))}&to={Iso(Day)}"));

        var entry = (await ListAsync(ws, window + "&outcome=denied")).GetProperty("items")[0];
        Assert.Equal("setting.changed", entry.GetProperty("action").GetString());
        Assert.Equal("denied", entry.GetProperty("outcome").GetString());
        Assert.Equal("inbox", entry.GetProperty("targetType").GetString());
        Assert.Equal("10.0.0.1", entry.GetProperty("clientIp").GetString());
        Assert.EndsWith("Z", entry.GetProperty("occurredAt").GetString());
    }

    [Fact]
    public async Task List_PagesWithTheBeforeCursor_WithoutGapsOrRepeats_EvenWithinOneInstant()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var entries = Enumerable.Range(0, 7).Select(i => AuditRig.Entry(ws.TenantId, Day.AddMinutes(i / 3))).ToArray();
        var ids = await _server.SeedAsync(entries);
        var window = $"from={Iso(Day)}&to={Iso(Day.AddDays(1))}&limit=3";

        var first = await ListAsync(ws, window);
        var second = await ListAsync(ws, window + "&before=" + first.GetProperty("nextBefore").GetInt64());
        var third = await ListAsync(ws, window + "&before=" + second.GetProperty("nextBefore").GetInt64());

        var seen = new[] { first, second, third }.SelectMany(p => p.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64())).ToArray();
        Assert.Equal(ids.Reverse(), seen);
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        Assert.Equal(1, third.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextBefore").ValueKind);
        await _server.SeedAsync([.. Enumerable.Range(0, 51).Select(i => AuditRig.Entry(ws.TenantId, Day.AddDays(-2).AddSeconds(i)))]);
        var defaultPage = await ListAsync(ws, $"from={Iso(Day.AddDays(-2))}&to={Iso(Day.AddDays(-1))}");
        Assert.Equal(50, defaultPage.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, defaultPage.GetProperty("nextBefore").ValueKind);
    }

    [Theory]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-01T00:00:00Z")]
    [InlineData("from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z")]
    [InlineData("from=2024-01-01T00:00:00Z&to=2025-06-01T00:00:00Z")]
    [InlineData("from=2020-01-01T00:00:00Z")]
    [InlineData("action=AUTH.signed_in")]
    [InlineData("action=auth signed_in")]
    [InlineData("action=auth.%25")]
    [InlineData("actorId=someone")]
    [InlineData("targetId=0193a1a4-0000-7000-8000-000000000000")]
    [InlineData("targetType=agent&targetId=a%40b.example")]
    [InlineData("targetType=Agent")]
    [InlineData("outcome=maybe")]
    [InlineData("outcome=1")]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("before=0")]
    public async Task List_WithBadInput_Answers400ProblemDetails(string query)
    {
        using var ws = await _server.NewWorkspaceAsync();

        var response = await ws.Http.GetAsync("/api/v1/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_audit_filter", problem.GetProperty("code").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(AgentRole.Agent)]
    [InlineData(AgentRole.Supervisor)]
    public async Task ListAndExport_WithoutTheAuditPermission_Answer403(AgentRole role)
    {
        using var ws = await _server.NewWorkspaceAsync(role);
        await _server.SeedAsync(AuditRig.Entry(ws.TenantId, Day));

        Assert.Equal(HttpStatusCode.Forbidden, (await ws.Http.GetAsync("/api/v1/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ws.Http.GetAsync("/api/v1/audit/export?format=csv")).StatusCode);
        using var anonymous = _server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task List_NeverShowsAnotherWorkspacesEntries_NorPagesFromTheirIds()
    {
        using var mine = await _server.NewWorkspaceAsync();
        using var theirs = await _server.NewWorkspaceAsync();
        var mineIds = await _server.SeedAsync(AuditRig.Entry(mine.TenantId, Day, targetType: "agent", targetId: "shared"));
        var theirIds = await _server.SeedAsync(
            AuditRig.Entry(theirs.TenantId, Day.AddMinutes(1), targetType: "agent", targetId: "shared"),
            AuditRig.Entry(theirs.TenantId, Day.AddMinutes(2), targetType: "agent", targetId: "shared"),
            AuditRig.Entry(null, Day.AddMinutes(3), AuditActions.SignInFailed, targetType: "agent", targetId: "shared"));
        var window = $"from={Iso(Day.AddDays(-1))}&to={Iso(Day.AddDays(1))}";

        Assert.Equal(mineIds, await IdsAsync(mine, window));
        Assert.Equal(mineIds, await IdsAsync(mine, window + "&targetType=agent&targetId=shared"));
        Assert.Empty(await IdsAsync(mine, window + "&before=" + theirIds[1]));
        Assert.Equal(theirIds[..2].Reverse(), await IdsAsync(theirs, window));
        var csv = await mine.Http.GetStringAsync("/api/v1/audit/export?format=csv&" + window);
        Assert.Equal(2, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Entries_AreAppendOnly_TheDatabaseRefusesAnUpdate_AndNoRouteEditsOrDeletes()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var ids = await _server.SeedAsync(AuditRig.Entry(ws.TenantId, Day, detail: "original"));

        var update = await Record.ExceptionAsync(() => _server.WithDbAsync(db =>
            db.AuditEntries.Where(e => e.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(e => e.Detail, "forged"))));
        var tracked = await Record.ExceptionAsync(() => _server.WithDbAsync(async db =>
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Id == ids[0]);
            db.Entry(entry).Property(e => e.Outcome).CurrentValue = AuditOutcome.Denied;
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("append-only", update?.ToString());
        Assert.Contains("append-only", tracked?.ToString());
        Assert.Equal("original", (await _server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Id == ids[0]))).Detail);
        var auditRoutes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && route.StartsWith("/api/", StringComparison.Ordinal) && route.Contains("audit", StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Distinct().ToList();
        Assert.Equal(["GET"], auditRoutes);
    }

    [Fact]
    public async Task ConsolePage_ShowsTheLogToUsersWithThePermission_AndNotAllowedToOthers()
    {
        var agentEmail = await _server.CreateAgentInDemoTenantAsync("Audit page agent");
        var (admin, _, _) = await ConsoleSignIn.PostAsync(_server, KefuFactory.AdminEmail, KefuFactory.AdminPassword);
        var (agent, _, _) = await ConsoleSignIn.PostAsync(_server, agentEmail, KefuFactory.AdminPassword);

        var adminPage = await admin.GetStringAsync("/console/audit");
        var agentPage = await agent.GetStringAsync("/console/audit");
        var agentKnowledge = await agent.GetStringAsync("/console/knowledge");
        var adminInbox = await admin.GetStringAsync("/console");
        var agentInbox = await agent.GetStringAsync("/console");

        Assert.Contains("data-testid=\"audit-page\"", adminPage);
        Assert.Contains("data-testid=\"nav-audit\"", adminPage);
        Assert.DoesNotContain("data-testid=\"not-allowed\"", adminPage);
        Assert.Contains("data-testid=\"not-allowed\"", agentPage);
        Assert.DoesNotContain("data-testid=\"audit-list\"", agentPage);
        Assert.DoesNotContain("data-testid=\"nav-audit\"", agentKnowledge);
        Assert.Contains("data-testid=\"nav-audit\"", adminInbox);
        Assert.DoesNotContain("data-testid=\"nav-audit\"", agentInbox);
    }

    [Fact]
    public void EveryAuditAction_AndItsGroup_HasALabelInEnglishAndInChinese()
    {
        var text = new System.Resources.ResourceManager("Kefu.Server.Console.ConsoleText", typeof(Program).Assembly);
        var english = text.GetResourceSet(System.Globalization.CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var chinese = text.GetResourceSet(new System.Globalization.CultureInfo("zh"), createIfNotExists: true, tryParents: false)!;
        var keys = AuditActions.All.SelectMany(a => new[] { "AuditAction_" + a, "AuditGroup_" + a.Split('.')[0] }).Distinct().ToList();

        Assert.NotEmpty(keys);
        Assert.DoesNotContain(keys, k => string.IsNullOrEmpty(english.GetString(k)));
        Assert.DoesNotContain(keys, k => string.IsNullOrEmpty(chinese.GetString(k)));
    }

    private static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonElement> ListAsync(AuditWorkspace ws, string query)
    {
        var response = await ws.Http.GetAsync("/api/v1/audit?" + query);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<long[]> IdsAsync(AuditWorkspace ws, string query) =>
        [.. (await ListAsync(ws, query)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64())];
}
