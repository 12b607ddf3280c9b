using System.Globalization;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// <c>GET /api/v1/reports/agents/export</c> (permission Reports): the agents table as CSV, every agent then every team,
/// read page by page through <see cref="GetAgentsReport"/> so the file and the table and the API show the same numbers.
/// The first page is read before the response starts, so a bad filter is a problem answer, not a broken file.
/// </summary>
internal sealed class ExportAgentsReport(GetAgentsReport report)
{
    private const string Header = "kind,id,name,conversations,resolved,firstResponseMedianSeconds,firstResponseAverageSeconds,handlingAverageSeconds,transfers,csat,csatAnswers";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/reports/agents/export", async Task<Results<PushStreamHttpResult, ProblemHttpResult>> (
                [AsParameters] ReportParameters p, HttpContext http, ExportAgentsReport handler, CancellationToken ct) =>
            {
                var agent = AgentIdentity.From(http.User)!;
                // The file is every agent: paging parameters would be ignored, so they are refused.
                var (first, error) = http.Request.Query.Keys.FirstOrDefault(k => k is "cursor" or "limit") is { } paging
                    ? (null, AnalyticsErrors.UnknownFilter(paging))
                    : await handler.PageAsync(agent, p, http.Request.Query, null, ct);
                if (first is null)
                {
                    return KefuProblems.Problem(error!);
                }

                http.Response.Headers.CacheControl = "no-store";
                var name = $"agents-{first.From:yyyyMMdd}-{first.To:yyyyMMdd}.csv";
                return TypedResults.Stream(body => handler.WriteAsync(body, agent, p, http.Request.Query, first, http.RequestAborted), "text/csv; charset=utf-8", name);
            })
            .WithName("ExportAgentsReport")
            .WithTags("Analytics")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .RequireAuthorization(AccessPolicies.For(Permission.Reports));

    /// <summary>One page of the agents report, the largest the report allows.</summary>
    public Task<(AgentsReport? Report, KefuError? Error)> PageAsync(
        AgentIdentity agent, ReportParameters p, IQueryCollection query, string? cursor, CancellationToken cancellationToken) =>
        report.HandleAsync(agent, p, query, cursor, GetAgentsReport.MaxLimit.ToString(CultureInfo.InvariantCulture), cancellationToken);

    public async Task WriteAsync(Stream body, AgentIdentity agent, ReportParameters p, IQueryCollection query, AgentsReport first, CancellationToken cancellationToken)
    {
        // The BOM makes spreadsheet programs read UTF-8 (Chinese names) instead of the system code page.
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true);
        await writer.WriteAsync(Header + "\r\n");
        var line = new StringBuilder(256);
        for (var page = first; ; )
        {
            foreach (var row in page.Agents)
            {
                await writer.WriteAsync(Row(line.Clear(), "agent", row), cancellationToken);
            }

            if (page.NextCursor is null)
            {
                break;
            }

            var (next, _) = await PageAsync(agent, p, query, page.NextCursor, cancellationToken);
            if (next is null)
            {
                break; // the caller lost the permission mid-file: stop rather than write someone else's numbers
            }

            page = next;
        }

        foreach (var row in first.Teams)
        {
            await writer.WriteAsync(Row(line.Clear(), "team", row), cancellationToken);
        }
    }

    private static StringBuilder Row(StringBuilder line, string kind, HolderReportRow r)
    {
        string?[] cells =
        [
            kind, r.Id?.ToString(), r.Name, Number(r.Conversations), Number(r.Resolved), Number(r.FirstResponseMedian), Number(r.FirstResponseAverage),
            Number(r.HandlingAverage), Number(r.Transfers), Number(r.Csat), Number(r.CsatAnswers),
        ];
        for (var i = 0; i < cells.Length; i++)
        {
            ExportConversationFacts.Cell(i == 0 ? line : line.Append(','), cells[i]);
        }

        return line.Append("\r\n");
    }

    private static string? Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture);
}
