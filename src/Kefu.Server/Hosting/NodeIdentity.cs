namespace Kefu.Server.Hosting;

/// <summary>This process among the nodes of a cluster: a name for leases, presence and logs, new at every start.</summary>
internal sealed class NodeIdentity
{
    /// <summary>Machine name plus a random suffix, so two processes on one machine differ.</summary>
    public string Id { get; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
}
