namespace Kefu.Server.Features.Knowledge.Contracts;

/// <summary>The bot's trained view of a workspace's published knowledge, retrained when articles change.</summary>
internal interface IKnowledgeModels
{
    /// <summary>The current snapshot (trained on first use and after a change).</summary>
    Task<KnowledgeSnapshot> GetAsync(Guid tenantId, CancellationToken cancellationToken);
}
