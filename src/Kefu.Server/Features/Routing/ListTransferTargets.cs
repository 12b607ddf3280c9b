using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>GET /api/v1/conversations/{id}/transfer-targets</c>: whom the caller may hand a conversation to — the active
/// agents of its inbox with presence and load (those who can take it now first), and the workspace's teams. Only
/// for someone who may transfer it (its assignee, or a supervisor); anyone else gets "not found" or "forbidden",
/// as the transfer itself would answer.
/// </summary>
internal sealed class ListTransferTargets(IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, IAccessControl accessControl)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/transfer-targets", async Task<Results<Ok<TransferTargets>, ProblemHttpResult>> (
                Guid id, HttpContext http, ListTransferTargets handler, CancellationToken ct) =>
            {
                var (targets, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(targets!) : KefuProblems.Problem(error);
            })
            .WithName("ListTransferTargets")
            .WithTags("Routing");

    public async Task<(TransferTargets?, KefuError?)> HandleAsync(AgentIdentity caller, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == caller.TenantId)
            .Select(c => new { c.AssigneeId, c.InboxId }).FirstOrDefaultAsync(cancellationToken);
        var workspace = await accessControl.GetWorkspaceAsync(caller.TenantId, caller.UserId, cancellationToken);
        if (current is null || workspace.For(caller) is not { } access || !access.CanSee(current.InboxId, current.AssigneeId, workspace))
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (!access.Has(Permission.Supervise) && current.AssigneeId != caller.UserId)
        {
            return (null, RoutingErrors.Forbidden);
        }

        var names = await db.Users.AsNoTracking().Where(u => u.TenantId == caller.TenantId).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var people = (await agents.LoadAsync(db, caller.TenantId, cancellationToken))
            .Where(a => a.UserId != current.AssigneeId && workspace.For(a.UserId)?.MayUseInbox(current.InboxId) == true && names.ContainsKey(a.UserId))
            .Select(a =>
            {
                var presence = a.Connected ? a.Presence : PresenceState.Offline;
                return new TransferAgent(a.UserId, names[a.UserId], presence, a.Load, a.Capacity,
                    presence == PresenceState.Online && a.Load < a.Capacity);
            })
            .OrderByDescending(a => a.Available).ThenBy(a => a.Load).ThenBy(a => a.Name, StringComparer.Ordinal)
            .ToList();
        var teams = await db.Teams.AsNoTracking().Where(t => t.TenantId == caller.TenantId).OrderBy(t => t.Name)
            .Select(t => new TransferTeam(t.Id, t.Name)).ToListAsync(cancellationToken);
        return (new TransferTargets(people, teams), null);
    }
}
