namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>
/// Whether a person can take a conversation now: business hours of the inbox, agents' presence and
/// connections (implemented by routing).
/// </summary>
public interface IAgentAvailability
{
    /// <summary>True when at least one agent of the workspace could answer a conversation of the inbox now.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox the conversation arrived in.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<bool> AnyAgentAvailableAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);

    /// <summary>When the inbox opens next ("we are back at …"); null while it is open or when it has no hours.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<DateTimeOffset?> BackAtAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);
}
