using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Collaboration;

/// <summary><see cref="ICollaborationCommands"/> through the endpoints' own handlers.</summary>
internal sealed class CollaborationCommands(AddNote notes, SnoozeConversation snoozes) : ICollaborationCommands
{
    public async Task<KefuError?> AddNoteAsync(AgentIdentity actor, Guid conversationId, string text, CancellationToken cancellationToken) =>
        (await notes.HandleAsync(actor, conversationId, new NoteRequest(text), cancellationToken)).Item2;

    public async Task<KefuError?> SnoozeAsync(AgentIdentity actor, Guid conversationId, DateTime? until, CancellationToken cancellationToken) =>
        (await snoozes.HandleAsync(actor, conversationId, until is null ? new SnoozeRequest(null, true) : new SnoozeRequest(until, null), cancellationToken)).Item2;
}
