namespace Kefu.Server.Features.Calls.Contracts;

/// <summary>
/// Watches a workspace's conversation changes (resolve, transfer, deletion) so the server ends the calls they leave
/// without a place (ADR 0040); implemented by the realtime lane, which sees every node's changes.
/// </summary>
internal interface ICallConversationWatch
{
    /// <summary>Starts watching <paramref name="tenantId"/> (once; later calls are no-ops).</summary>
    void Watch(Guid tenantId);
}
