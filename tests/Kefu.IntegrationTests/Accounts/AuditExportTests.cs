using System.Net;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.IntegrationTests.Accounts;

/// <summary><c>GET /api/v1/audit/export?format=csv</c>: content, spreadsheet-safe cells, batches, headers, and its own audit entry.</summary>
public sealed class AuditExportTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private static readonly DateTime Day = DateTime.UtcNow.Date.AddDays(-20);
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Export_WritesCsvWithAHeader_DefusesFormulaCells_AndIsNotCached()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var actor = Guid.NewGuid();
        var ids = await _server.SeedAsync(
            AuditRig.Entry(ws.TenantId, Day.AddMinutes(1), AuditActions.AgentCreated, actor, "agent", "a-1", detail: "=HYPERLINK(\"http://evil.example\",\"x\")", actorName: "=1+1"),
            AuditRig.Entry(ws.TenantId, Day.AddMinutes(2), detail: "+cmd", actorName: "-minus, with comma"),
            AuditRig.Entry(ws.TenantId, Day.AddMinutes(3), detail: "@SUM(A1)", actorName: "\ttab"),
            AuditRig.Entry(ws.TenantId, Day.AddMinutes(4), detail: "\rcarriage", actorName: "plain \"quoted\" name", outcome: AuditOutcome.Failed));

        var response = await ws.Http.GetAsync($"/api/v1/audit/export?format=csv&from={Iso(Day)}&to={Iso(Day.AddDays(1))}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("false", response.Headers.GetValues(ExportAuditEntries.TruncatedHeader).Single());
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("id,occurredAt,actorId,actorName,action,targetType,targetId,detail,outcome,clientIp", lines[0]);
        Assert.Equal($"{ids[3]},{Day.AddMinutes(4):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},,\"plain \"\"quoted\"\" name\",setting.changed,,,\"'\rcarriage\",failed,10.0.0.1", lines[1]);
        Assert.Equal($"{ids[2]},{Day.AddMinutes(3):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},,'\ttab,setting.changed,,,'@SUM(A1),succeeded,10.0.0.1", lines[2]);
        Assert.Equal($"{ids[1]},{Day.AddMinutes(2):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},,\"'-minus, with comma\",setting.changed,,,'+cmd,succeeded,10.0.0.1", lines[3]);
        Assert.Equal($"{ids[0]},{Day.AddMinutes(1):yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{actor},'=1+1,agent.created,agent,a-1,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",succeeded,10.0.0.1", lines[4]);
        Assert.Equal("", lines[5]);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public async Task Export_StreamsEveryMatchingEntryAcrossBatches_NewestFirst_AndOnlyThoseFiltered()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var ids = await _server.SeedAsync([.. Enumerable.Range(0, 2_500).Select(i => AuditRig.Entry(ws.TenantId, Day.AddSeconds(i / 2), AuditActions.ArticleUpdated))]);
        await _server.SeedAsync(AuditRig.Entry(ws.TenantId, Day.AddSeconds(5), AuditActions.ArticleDeleted));

        var csv = await ws.Http.GetStringAsync($"/api/v1/audit/export?format=csv&action=article.updated&from={Iso(Day)}&to={Iso(Day.AddDays(1))}");

        var exported = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => long.Parse(l.Split(',')[0])).ToArray();
        Assert.Equal(ids.Reverse(), exported);
    }

    [Fact]
    public async Task Export_IsAudited_WithTheFilterAndCount_AndNoPersonalData()
    {
        using var ws = await _server.NewWorkspaceAsync();
        var actor = Guid.NewGuid();
        await _server.SeedAsync(
            AuditRig.Entry(ws.TenantId, Day, AuditActions.SignedIn, actor, actorName: "Zhang San"),
            AuditRig.Entry(ws.TenantId, Day.AddMinutes(1), AuditActions.SignedIn, actor, actorName: "Zhang San"));

        var response = await ws.Http.GetAsync(
            $"/api/v1/audit/export?format=csv&from={Iso(Day)}&to={Iso(Day.AddDays(1))}&action=auth.&actorId={actor}&targetType=agent&targetId=13812345678&outcome=succeeded");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var entry = Assert.Single(await _server.EntriesAsync(AuditActions.AuditExported), e => e.TenantId == ws.TenantId);
        Assert.Equal(ws.UserId, entry.ActorId);
        Assert.Equal("audit_log", entry.TargetType);
        Assert.Equal(AuditOutcome.Succeeded, entry.Outcome);
        Assert.Equal("127.0.0.1", entry.ClientIp);
        Assert.Equal($"format=csv; from={Iso(Day)}; to={Iso(Day.AddDays(1))}; action=auth.; actorId={actor}; targetType=agent; targetId=(given); outcome=succeeded; rows=0",
            entry.Detail);
        Assert.DoesNotContain("13812345678", entry.Detail);
    }

    [Theory]
    [InlineData("format=xlsx")]
    [InlineData("format=csv&to=2026-01-01T00:00:00Z&from=2026-02-01T00:00:00Z")]
    [InlineData("format=csv&outcome=perhaps")]
    public async Task Export_WithBadInput_Answers400_AndAuditsNothing(string query)
    {
        using var ws = await _server.NewWorkspaceAsync();

        var response = await ws.Http.GetAsync("/api/v1/audit/export?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(await _server.EntriesAsync(AuditActions.AuditExported), e => e.TenantId == ws.TenantId);
    }

    private static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
