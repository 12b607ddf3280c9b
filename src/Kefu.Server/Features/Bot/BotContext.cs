using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Bot;

/// <summary>A visitor message the bot must answer, with what it needs from the conversation.</summary>
/// <param name="TenantId">Workspace.</param>
/// <param name="InboxId">Inbox.</param>
/// <param name="ContactId">Visitor.</param>
/// <param name="ConversationId">Conversation, held by the bot.</param>
/// <param name="Message">The visitor's message.</param>
/// <param name="Action">The button pressed, when the message is a button press (client id <c>act:…</c>).</param>
/// <param name="RecentTurns">The bot's earlier turns in this conversation, newest first.</param>
internal sealed record BotContext(
    Guid TenantId, Guid InboxId, Guid ContactId, Guid ConversationId, Message Message, MessageAction? Action, IReadOnlyList<BotTurn> RecentTurns)
{
    /// <summary>Misses in a row, counted back from the newest turn.</summary>
    public int PreviousMisses => RecentTurns.TakeWhile(t => t.IsMiss).Count();
}
