using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations;

/// <summary>Other capabilities' way to the conversation handlers (see <see cref="IConversationCommands"/>).</summary>
internal sealed class ConversationCommands(ResolveConversation resolve) : IConversationCommands
{
    public async Task<KefuError?> ResolveAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        (await resolve.HandleAsync(agent, conversationId, cancellationToken)).Item2;
}
