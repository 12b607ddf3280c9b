using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Collaboration.Contracts;

/// <summary>
/// Notes and snoozes for other capabilities (automation rules): the same handlers as the REST endpoints, so the same
/// checks, journal and live updates as an agent's click.
/// </summary>
internal interface ICollaborationCommands
{
    /// <summary>Adds a private note as <paramref name="actor"/>; mentions in it are resolved and ring as usual.</summary>
    Task<KefuError?> AddNoteAsync(AgentIdentity actor, Guid conversationId, string text, CancellationToken cancellationToken);

    /// <summary>Snoozes the conversation until a time, or until the customer replies when <paramref name="until"/> is null.</summary>
    Task<KefuError?> SnoozeAsync(AgentIdentity actor, Guid conversationId, DateTime? until, CancellationToken cancellationToken);
}
