using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Quality;

/// <summary>One message as the rules see it.</summary>
internal sealed record ScriptMessage(Guid Id, SenderType Sender, Guid? SenderId, string Text, DateTime At, int MaskedValues = 0);

/// <summary>One timeline event as the rules see it: its type (<c>conversation.assigned</c> …), when, and a survey's kind.</summary>
internal sealed record ScriptEvent(string Type, DateTime At, string? SurveyKind = null);

/// <summary>A resolved conversation as the rules see it: messages and timeline in time order.</summary>
internal sealed record ConversationScript(
    Guid ConversationId, Guid TenantId, Guid InboxId, Guid? AssigneeId, DateTime ResolvedAt, IReadOnlyList<ScriptMessage> Messages, IReadOnlyList<ScriptEvent> Events)
{
    /// <summary>The agent scored: the assignee, else the last agent who wrote.</summary>
    public Guid? AgentId => AssigneeId ?? Messages.LastOrDefault(m => m.Sender == SenderType.Agent)?.SenderId;
}
