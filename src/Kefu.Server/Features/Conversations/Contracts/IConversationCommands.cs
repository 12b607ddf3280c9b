using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// Conversation changes other capabilities may make for a person (automation, macros). The same handlers the REST
/// endpoints use, so permissions, the journal and live updates cannot differ from a click in the console.
/// </summary>
internal interface IConversationCommands
{
    /// <summary>Resolves the conversation as <paramref name="agent"/>; resolving a resolved one changes nothing.</summary>
    Task<KefuError?> ResolveAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken);
}
