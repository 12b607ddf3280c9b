using System.Globalization;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/reports/conversations/export</c> (permission Reports): one CSV row per conversation of the range and
/// filters, oldest first. Streamed a batch at a time, each batch from a fresh context on the (workspace, start, id)
/// index, so memory stays flat and a slow reader holds no connection, whatever the range.
/// </summary>
internal sealed class ExportConversationFacts(IDbContextFactory<KefuDbContext> dbFactory, ReportRequest request)
{
    public const int BatchSize = 2000;
    private static readonly string[] Format = ["format"];

    private static readonly string[] Columns =
    [
        "conversationId", "createdAt", "inboxId", "inbox", "channel", "startedBy", "tags", "teamId", "team", "agentId", "agent", "agents",
        "botInvolved", "handedOffAt", "handOffReason", "queuedAt", "waitSeconds", "firstAssignedAt", "firstResponseAt", "firstResponseSeconds",
        "resolved", "firstResolvedAt", "resolvedAt", "resolutionSeconds", "reopens", "handlingSeconds", "transfers", "abandoned",
        "abandonedAfterSeconds", "visitorMessages", "agentMessages", "botMessages", "csat", "nps", "ces",
    ];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/conversations/export", async Task<Results<PushStreamHttpResult, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, ExportConversationFacts handler, CancellationToken ct, string? format = null) =>
            {
                var (scope, error) = await handler.ScopeAsync(AgentIdentity.From(http.User)!, p, http.Request.Query, format, ct);
                if (scope is null)
                {
                    return KefuProblems.Problem(error!);
                }

                http.Response.Headers.CacheControl = "no-store";
                var name = $"conversations-{scope.From:yyyyMMdd}-{scope.To:yyyyMMdd}.csv";
                return TypedResults.Stream(body => handler.WriteAsync(body, scope, http.RequestAborted), "text/csv; charset=utf-8", name);
            })
            .WithName("ExportConversationFacts")
            .WithTags("Analytics")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    public async Task<(ReportScope? Scope, KefuError? Error)> ScopeAsync(
        AgentIdentity agent, ReportParameters parameters, IQueryCollection query, string? format, CancellationToken cancellationToken)
    {
        if (format is not (null or "csv"))
        {
            return (null, AnalyticsErrors.InvalidFilter("format"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await request.ScopeAsync(db, agent, parameters, query, Format, cancellationToken);
    }

    /// <summary>Writes the CSV; the header first, then batches by (start, id) after the last row written.</summary>
    public async Task WriteAsync(Stream body, ReportScope scope, CancellationToken cancellationToken)
    {
        // The BOM makes spreadsheet programs read UTF-8 (team names in Chinese) instead of the system code page.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n");
        Names names;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            names = await Names.ReadAsync(db, scope.TenantId, cancellationToken);
        }

        var line = new StringBuilder(512);
        (DateTime At, Guid Id)? after = null;
        while (true)
        {
            List<ConversationFact> batch;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var rows = ReportSource.Filter(db.ConversationFacts.AsNoTracking(), scope);
                if (scope.Tag is { } tag)
                {
                    var padded = " " + tag + " ";
                    rows = rows.Where(f => (" " + f.Tags + " ").Contains(padded));
                }

                if (after is { } last)
                {
                    rows = rows.Where(f => f.CreatedAt > last.At || (f.CreatedAt == last.At && f.Id.CompareTo(last.Id) > 0));
                }

                batch = await rows.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).Take(BatchSize).ToListAsync(cancellationToken);
            }

            foreach (var f in batch)
            {
                Row(line.Clear(), f, names);
                await writer.WriteAsync(line, cancellationToken);
            }

            await writer.FlushAsync(cancellationToken);
            if (batch.Count < BatchSize)
            {
                return;
            }

            after = (batch[^1].CreatedAt, batch[^1].Id);
        }
    }

    // Text cells go through Cell (quoting, formula guard); ids, times and numbers are appended in place: they never need
    // either, and formatting them without intermediate strings is most of what a row costs (docs/benchmarks.md, "Reports").
    private static void Row(StringBuilder line, ConversationFact f, Names names)
    {
        var inbox = names.Inboxes.GetValueOrDefault(f.InboxId);
        Id(line, f.Id).Append(',');
        Time(line, f.CreatedAt).Append(',');
        Id(line, f.InboxId).Append(',');
        Cell(line, inbox.Name);
        Cell(line.Append(','), inbox.Channel);
        Cell(line.Append(','), f.StartedBy);
        Cell(line.Append(','), f.Tags);
        Id(line.Append(','), f.TeamId).Append(',');
        Cell(line, f.TeamId is { } t ? names.Teams.GetValueOrDefault(t) : null);
        Id(line.Append(','), f.AgentId).Append(',');
        Cell(line, f.AgentId is { } a ? names.Agents.GetValueOrDefault(a) : null);
        Cell(line.Append(','), f.Agents);
        Bool(line.Append(','), f.BotInvolved).Append(',');
        Time(line, f.HandedOffAt).Append(',');
        Cell(line, f.HandOffReason);
        Time(line.Append(','), f.QueuedAt).Append(',');
        Number(line, f.WaitSeconds).Append(',');
        Time(line, f.FirstAssignedAt).Append(',');
        Time(line, f.FirstResponseAt).Append(',');
        Number(line, f.FirstResponseSeconds).Append(',');
        Bool(line, f.Resolved).Append(',');
        Time(line, f.FirstResolvedAt).Append(',');
        Time(line, f.ResolvedAt).Append(',');
        Number(line, f.ResolutionSeconds).Append(',');
        Number(line, f.Reopens).Append(',');
        Number(line, f.HandlingSeconds).Append(',');
        Number(line, f.Transfers).Append(',');
        Bool(line, f.Abandoned).Append(',');
        Number(line, f.AbandonedAfterSeconds).Append(',');
        Number(line, f.VisitorMessages).Append(',');
        Number(line, f.AgentMessages).Append(',');
        Number(line, f.BotMessages).Append(',');
        Number(line, f.CsatScore).Append(',');
        Number(line, f.NpsScore).Append(',');
        Number(line, f.CesScore).Append("\r\n");
    }

    /// <summary>
    /// A cell shown as text, never run as a formula: one starting with <c>= + - @</c>, a tab or a carriage return gets a
    /// leading <c>'</c> (a tag or a team name <c>=HYPERLINK(…)</c> would otherwise become a live link in a spreadsheet).
    /// </summary>
    public static void Cell(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            return;
        }

        line.Append(value);
    }

    private static StringBuilder Id(StringBuilder line, Guid? id) => id is { } value ? line.Append(CultureInfo.InvariantCulture, $"{value}") : line;

    private static StringBuilder Time(StringBuilder line, DateTime? at) =>
        at is { } value ? line.Append(CultureInfo.InvariantCulture, $"{value:yyyy'-'MM'-'dd'T'HH':'mm':'ss}Z") : line;

    private static StringBuilder Bool(StringBuilder line, bool value) => line.Append(value ? "true" : "false");

    private static StringBuilder Number(StringBuilder line, double? value) =>
        value is { } v ? line.Append(CultureInfo.InvariantCulture, $"{v:0.#}") : line;

    /// <summary>The workspace's inbox, team and agent names, read once per export.</summary>
    private sealed record Names(Dictionary<Guid, (string? Name, string? Channel)> Inboxes, Dictionary<Guid, string> Teams, Dictionary<Guid, string> Agents)
    {
        public static async Task<Names> ReadAsync(KefuDbContext db, Guid tenantId, CancellationToken cancellationToken) => new(
            await db.Inboxes.AsNoTracking().Where(i => i.TenantId == tenantId)
                .ToDictionaryAsync(i => i.Id, i => ((string?)i.Name, (string?)i.Channel.ToString()), cancellationToken),
            await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken),
            await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken));
    }
}
