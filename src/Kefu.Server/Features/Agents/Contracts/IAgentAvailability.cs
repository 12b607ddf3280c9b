namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>
/// Whether a person can take a conversation now. The default counts connected agents; routing will
/// replace it with presence and business hours.
/// </summary>
public interface IAgentAvailability
{
    /// <summary>True when at least one agent of the workspace could answer a conversation of the inbox now.</summary>
    /// <param name="tenantId">The workspace.</param>
    /// <param name="inboxId">The inbox the conversation arrived in.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<bool> AnyAgentAvailableAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken);
}
