using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary><c>DELETE /api/v1/canned-replies/{id}</c>: the owner of a personal reply; team and shared ones need the knowledge permission.</summary>
internal sealed class DeleteCannedReply(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IWorkspaceFiles workspaceFiles)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/canned-replies/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteCannedReply handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("DeleteCannedReply")
            .WithTags("CannedReplies");

    /// <summary>Null when deleted; otherwise not found or forbidden, and nothing changed.</summary>
    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return CannedReplyRules.NotFound;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var reply = await viewer.Visible(db.CannedReplies).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reply is null)
        {
            return CannedReplyRules.NotFound;
        }

        if (!viewer.Manages(reply))
        {
            return CannedReplyRules.Forbidden;
        }

        db.CannedReplies.Remove(reply); // its usage rows go by cascade, in the same statement batch
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "canned_reply", id.ToString(),
            $"canned_reply.deleted; scope={reply.Scope.ToString().ToLowerInvariant()}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        // Its files go with it; copies already sent in conversations are other rows (and names on disk) and stay.
        await workspaceFiles.DeleteAsync(caller.TenantId, CannedReplyRules.AttachmentIds(reply), cancellationToken);
        return null;
    }
}
