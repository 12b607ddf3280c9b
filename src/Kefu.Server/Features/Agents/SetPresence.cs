using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>A presence switch.</summary>
/// <param name="State">online, busy, away or offline.</param>
public sealed record SetPresenceRequest(PresenceState State);

/// <summary><c>PUT /api/v1/agents/me/presence</c> (and the agent hub's <c>SetPresence</c>): the agent switches presence by hand.</summary>
internal sealed class SetPresence(IDbContextFactory<KefuDbContext> dbFactory, RoutingSignal signal, RoutingFanout fanout, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/agents/me/presence", async Task<Results<Ok<SetPresenceRequest>, ProblemHttpResult>> (
                SetPresenceRequest request, HttpContext http, SetPresence handler, CancellationToken ct) =>
            {
                if (!await handler.HandleAsync(AgentIdentity.From(http.User)!, request.State, ct))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "state must be online, busy, away or offline.",
                        extensions: new Dictionary<string, object?> { ["code"] = "invalid_setting" });
                }

                return TypedResults.Ok(request);
            })
            .WithName("SetPresence")
            .WithTags("Agents");

    /// <summary>Returns false, changing nothing, for a state that is not defined (JSON also binds plain numbers to enums).</summary>
    public async Task<bool> HandleAsync(AgentIdentity agent, PresenceState state, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(state))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AgentProfiles.EnsureAsync(db, agent.TenantId, time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.AgentProfiles.Where(p => p.UserId == agent.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Presence, state).SetProperty(p => p.PresenceChangedAt, now), cancellationToken);
        signal.Notify();
        fanout.QueueChanged(agent.TenantId);
        return true;
    }
}
