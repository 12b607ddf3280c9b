namespace Kefu.Server.Features.Agents.Contracts;

/// <summary>Which agents are connected (hub or console), on every node of the cluster.</summary>
internal interface IAgentPresence
{
    /// <summary>Raised when a person's first connection opens or their last one closes.</summary>
    event Action<Guid>? Changed;

    /// <summary>Agent connections of the workspace.</summary>
    int Count(Guid tenantId);

    /// <summary>True when the person has a connection open.</summary>
    bool IsConnected(Guid userId);

    /// <summary>Connected now, or the last connection ended less than <paramref name="grace"/> ago.</summary>
    bool IsPresent(Guid userId, TimeSpan grace);
}
