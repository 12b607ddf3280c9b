using System.Globalization;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>
/// <c>GET /api/v1/audit/export?format=csv</c> (permission Audit): the entries <c>GET /api/v1/audit</c> would list with
/// the same filters, newest first, as CSV. Streamed in batches, never held whole; at most <see cref="MaxRows"/> rows,
/// and the <c>Kefu-Export-Truncated: true</c> header says when there were more. The export is itself audited.
/// </summary>
internal sealed class ExportAuditEntries(IDbContextFactory<KefuDbContext> dbFactory, IAuditLog audit)
{
    public const int MaxRows = 100_000;
    public const string TruncatedHeader = "Kefu-Export-Truncated";
    private const int BatchSize = 1000;

    private static readonly string[] Columns =
        ["id", "occurredAt", "actorId", "actorName", "action", "targetType", "targetId", "detail", "outcome", "clientIp"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit/export", async Task<Results<PushStreamHttpResult, ProblemHttpResult>> (
                [AsParameters] AuditExportParameters p, HttpContext http, ExportAuditEntries handler, TimeProvider time, CancellationToken ct) =>
            {
                if (p.Format is not (null or "csv"))
                {
                    return KefuProblems.Problem(new KefuError("invalid_audit_filter", "format must be csv."));
                }

                var (filter, error) = AuditFilter.Parse(p.Filter, time.GetUtcNow().UtcDateTime);
                if (error is not null)
                {
                    return KefuProblems.Problem(error);
                }

                var tenantId = AgentIdentity.From(http.User)!.TenantId;
                var truncated = await handler.AuditAsync(tenantId, filter!, ct);
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers[TruncatedHeader] = truncated ? "true" : "false";
                var name = $"audit-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
                return TypedResults.Stream(body => handler.WriteAsync(body, tenantId, filter!, http.RequestAborted), "text/csv; charset=utf-8", name);
            })
            .WithName("ExportAuditEntries")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithTags("Audit")
            .RequireAuthorization(AccessPolicies.For(Permission.Audit));

    /// <summary>
    /// Records the export before a byte leaves, so an export the client abandons is on the trail too. Returns
    /// whether the filter matches more than <see cref="MaxRows"/> entries (counted up to one more, on the index).
    /// </summary>
    private async Task<bool> AuditAsync(Guid tenantId, AuditFilter filter, CancellationToken cancellationToken)
    {
        int matching;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            matching = await filter.Apply(db.AuditEntries, tenantId).Take(MaxRows + 1).CountAsync(cancellationToken);
        }

        var rows = Math.Min(matching, MaxRows);
        await audit.WriteAsync(new AuditRecord(AuditActions.AuditExported, "audit_log", null,
            $"format=csv; {filter.Describe()}; rows={rows}" + (matching > MaxRows ? "; truncated" : "")), cancellationToken);
        return matching > MaxRows;
    }

    /// <summary>Writes the CSV a batch at a time, each batch from a fresh context, so a slow reader holds no connection.</summary>
    private async Task WriteAsync(Stream body, Guid tenantId, AuditFilter filter, CancellationToken cancellationToken)
    {
        // The BOM makes spreadsheet programs read UTF-8 (names in Chinese) instead of the system code page.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        long? before = null;
        for (var written = 0; written < MaxRows;)
        {
            var wanted = Math.Min(BatchSize, MaxRows - written);
            List<AuditEntryDto> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                batch = await ListAuditEntries.Page(db, tenantId, filter, before, wanted, cancellationToken);
            }

            foreach (var e in batch)
            {
                await writer.WriteAsync(AuditCsv.Row(
                [
                    e.Id.ToString(CultureInfo.InvariantCulture), e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                    e.ActorId?.ToString(), e.ActorName, e.Action, e.TargetType, e.TargetId, e.Detail, e.Outcome.ToString().ToLowerInvariant(), e.ClientIp,
                ]));
            }

            await writer.FlushAsync(cancellationToken);
            written += batch.Count;
            if (batch.Count < wanted)
            {
                break;
            }

            before = batch[^1].Id;
        }
    }
}

/// <summary>The query string of <c>GET /api/v1/audit/export</c>: the list's filters and the format.</summary>
internal sealed record AuditExportParameters(
    string? From, string? To, string? Action, string? ActorId, string? TargetType, string? TargetId, string? Outcome, string? Format)
{
    public AuditFilterInput Filter => new(From, To, Action, ActorId, TargetType, TargetId, Outcome);
}
