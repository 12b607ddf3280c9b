using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary><c>GET /api/v1/canned-replies/{id}</c>: one reply the caller sees; anyone else's is not found.</summary>
internal sealed class GetCannedReply(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IWorkspaceFiles workspaceFiles)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/canned-replies/{id:guid}", async Task<Results<Ok<CannedReplyDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetCannedReply handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } dto ? TypedResults.Ok(dto) : KefuProblems.Problem(CannedReplyRules.NotFound))
            .WithName("GetCannedReply")
            .WithTags("CannedReplies");

    public async Task<CannedReplyDto?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var reply = await viewer.Visible(db.CannedReplies.AsNoTracking()).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reply is null)
        {
            return null;
        }

        var mine = await db.CannedReplyUsage.Where(u => u.ReplyId == id && u.AgentId == caller.UserId).Select(u => u.Count).FirstOrDefaultAsync(cancellationToken);
        return viewer.ToDto(reply, mine, await workspaceFiles.DescribeAsync(caller.TenantId, CannedReplyRules.AttachmentIds(reply), cancellationToken));
    }
}
