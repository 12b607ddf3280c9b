using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>GET /api/v1/inboxes/{id}/routing</c>: an inbox's routing settings as stored, in the shape <c>PUT</c> takes, so a
/// client reads, changes a field and writes back. An inbox never configured answers its defaults (manual mode).
/// </summary>
internal sealed class GetInboxRouting(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/routing", async Task<Results<Ok<InboxRoutingRequest>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetInboxRouting handler, CancellationToken ct) =>
            {
                var (settings, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(settings!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetInboxRouting")
            .WithTags("Routing");

    public async Task<(InboxRoutingRequest? Settings, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, RoutingErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId, cancellationToken))
        {
            return (null, RoutingErrors.InboxNotFound);
        }

        var row = await db.InboxRoutings.AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken)
                  ?? InboxRouting.Default(caller.TenantId, inboxId);
        return (new InboxRoutingRequest(
            row.Strategy, row.Mode, row.OfferTimeoutSeconds, row.RequiredSkills, row.TeamId, row.OverflowAfterMinutes, row.OverflowTeamId,
            row.ReturnToPreviousAgent, row.VipTags, row.TimeZone, row.BusinessHours, row.Holidays, row.ClosedMessageEn, row.ClosedMessageZh,
            row.ClosedLeaveMessage), null);
    }
}
