using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// <c>GET /api/v1/canned-replies/export</c>: the replies the caller may edit, as CSV in the import format — so the file
/// goes back in unchanged (a shared reply an agent may only use would be refused by their import).
/// </summary>
internal sealed class ExportCannedReplies(ListCannedReplies list, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/canned-replies/export", async Task<FileContentHttpResult> (HttpContext http, ExportCannedReplies handler, CancellationToken ct) =>
                TypedResults.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(await handler.HandleAsync(AgentIdentity.From(http.User)!, ct))).ToArray(),
                    "text/csv; charset=utf-8", "canned-replies.csv"))
            .WithName("ExportCannedReplies")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithTags("CannedReplies");

    /// <summary>The CSV text (without the byte-order mark the download starts with, so spreadsheets read it as UTF-8).</summary>
    public async Task<string> HandleAsync(AgentIdentity caller, CancellationToken cancellationToken)
    {
        var replies = (await list.HandleAsync(caller, null, null, null, cancellationToken)).Where(r => r.CanManage).ToList();
        await audit.WriteAsync(new AuditRecord(AuditActions.DataExported, "canned_replies", null, $"format=csv; replies={replies.Count}").By(caller), cancellationToken);
        return CannedReplyCsv.Write(replies);
    }
}
