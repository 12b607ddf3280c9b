namespace Kefu.Server.Features.Routing.Contracts;

/// <summary>Where routing points at a team, so a team that inboxes route to or conversations wait for is not deleted under them.</summary>
public interface ITeamReferences
{
    /// <summary>How many inboxes route to the team (as their team or their overflow) and how many conversations wait for it.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="teamId">The team.</param>
    /// <param name="cancellationToken">Cancels the count.</param>
    Task<(int Inboxes, int Waiting)> CountAsync(Guid tenantId, Guid teamId, CancellationToken cancellationToken);
}
