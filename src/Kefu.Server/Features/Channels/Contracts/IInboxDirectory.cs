namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>Inbox lookups for hot paths (every widget load, hub connect and outbound message), cached briefly.</summary>
internal interface IInboxDirectory
{
    /// <summary>The web-widget inbox whose script tag carries <paramref name="key"/>.</summary>
    Task<Inbox?> ByKeyAsync(string key, CancellationToken cancellationToken);

    /// <summary>An inbox by id, of any workspace (callers check the workspace).</summary>
    Task<Inbox?> ByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>An inbox changed: the next lookups read it again.</summary>
    void Forget(Inbox inbox);
}
