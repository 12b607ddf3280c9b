using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// <c>POST /api/v1/canned-replies</c> and <c>PUT /api/v1/canned-replies/{id}</c> (any agent for their personal
/// replies; team and shared ones need the knowledge permission). One handler for both: they check the same things.
/// </summary>
internal sealed class SaveCannedReply(
    IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, IWorkspaceFiles workspaceFiles, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/canned-replies", async Task<Results<Created<CannedReplyDto>, ProblemHttpResult>> (
                CannedReplyInput input, HttpContext http, SaveCannedReply handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, null, input, ct);
                return error is null ? TypedResults.Created($"/api/v1/canned-replies/{dto!.Id}", dto) : KefuProblems.Problem(error);
            })
            .WithName("CreateCannedReply")
            .WithTags("CannedReplies");
        api.MapPut("/canned-replies/{id:guid}", async Task<Results<Ok<CannedReplyDto>, ProblemHttpResult>> (
                Guid id, CannedReplyInput input, HttpContext http, SaveCannedReply handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .WithName("UpdateCannedReply")
            .WithTags("CannedReplies");
    }

    /// <summary>Creates (<paramref name="id"/> null) or replaces a reply; on any error nothing is stored.</summary>
    public async Task<(CannedReplyDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid? id, CannedReplyInput input, CancellationToken cancellationToken)
    {
        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return (null, CannedReplyRules.NotFound);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        CannedReply? reply = null;
        if (id is { } existing)
        {
            reply = await viewer.Visible(db.CannedReplies).FirstOrDefaultAsync(r => r.Id == existing, cancellationToken);
            if (reply is null)
            {
                return (null, CannedReplyRules.NotFound);
            }

            if (!viewer.Manages(reply))
            {
                return (null, CannedReplyRules.Forbidden);
            }
        }

        var (clean, error) = CannedReplyRules.Validate(input);
        if (clean is null)
        {
            return (null, error);
        }

        if (!viewer.MayWrite(clean.Scope))
        {
            return (null, CannedReplyRules.Forbidden);
        }

        if (clean.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId && t.TenantId == caller.TenantId, cancellationToken))
        {
            return (null, CannedReplyRules.TeamInvalid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = reply is null;
        reply ??= new CannedReply { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, ScopeKey = "", Title = "", Shortcut = "", ShortcutKey = "", CreatedAt = now };
        CannedReplyRules.Apply(reply, clean, caller.UserId, now);
        if (await db.CannedReplies.AnyAsync(r => r.TenantId == caller.TenantId && r.ScopeKey == reply.ScopeKey &&
                r.ShortcutKey == reply.ShortcutKey && r.Id != reply.Id, cancellationToken))
        {
            return (null, CannedReplyRules.ShortcutTaken);
        }

        // The files: new ones must be the caller's unsent uploads and become the workspace's; ones left out are deleted
        // once the reply no longer points at them (after the commit: a failed save keeps them).
        var had = CannedReplyRules.AttachmentIds(reply);
        List<Guid> removed = [];
        if (clean.AttachmentIds is { } wanted)
        {
            if (await workspaceFiles.AdoptAsync(db, caller.TenantId, caller.UserId, [.. wanted.Except(had)], cancellationToken) is { } fileError)
            {
                return (null, fileError);
            }

            removed = [.. had.Except(wanted)];
            reply.AttachmentIds = CannedReplyRules.AttachmentList(wanted);
        }

        if (created)
        {
            db.CannedReplies.Add(reply);
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "canned_reply", reply.Id.ToString(),
            $"canned_reply.{(created ? "created" : "updated")}; scope={reply.Scope.ToString().ToLowerInvariant()}").By(caller));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await ShortcutTakenAsync(reply, cancellationToken))
            {
                return (null, CannedReplyRules.ShortcutTaken); // a colleague saved the same shortcut a moment ago: the unique index caught it
            }

            throw;
        }

        await workspaceFiles.DeleteAsync(caller.TenantId, removed, cancellationToken);
        var mine = created ? 0 : await db.CannedReplyUsage.Where(u => u.ReplyId == reply.Id && u.AgentId == caller.UserId).Select(u => u.Count).FirstOrDefaultAsync(cancellationToken);
        var files = await workspaceFiles.DescribeAsync(caller.TenantId, CannedReplyRules.AttachmentIds(reply), cancellationToken);
        return (viewer.ToDto(reply, mine, files), null);
    }

    private async Task<bool> ShortcutTakenAsync(CannedReply reply, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CannedReplies.AnyAsync(r => r.TenantId == reply.TenantId && r.ScopeKey == reply.ScopeKey && r.ShortcutKey == reply.ShortcutKey && r.Id != reply.Id, cancellationToken);
    }
}
