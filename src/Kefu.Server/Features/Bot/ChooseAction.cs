using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// A visitor presses a button under a bot message (visitor hub <c>ChooseAction</c>). The press becomes a
/// visitor message whose text is the button's label, so the transcript reads naturally, with the client id
/// <c>act:{messageId}:{index}</c>: pressing twice stores one message, and the bot reads the button from it.
/// </summary>
internal sealed class ChooseAction(IDbContextFactory<KefuDbContext> dbFactory, IConversationDirectory directory, IMessageWriter writer, MessageRateLimit limits)
{
    public async Task<(SendMessageResult?, KefuError?)> HandleAsync(
        VisitorIdentity visitor, Guid conversationId, Guid messageId, string? actionId, CancellationToken cancellationToken)
    {
        if (await directory.FindForVisitorAsync(visitor, conversationId, cancellationToken) is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (string.IsNullOrEmpty(actionId) || actionId.Length > 100)
        {
            return (null, ConversationErrors.ActionNotFound);
        }

        string? json;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            json = await db.Messages.AsNoTracking()
                .Where(m => m.Id == messageId && m.ConversationId == conversationId && m.SenderType == SenderType.Bot)
                .Select(m => m.Actions).FirstOrDefaultAsync(cancellationToken);
        }

        var actions = MessageActions.Read(json) ?? [];
        var index = actions.ToList().FindIndex(a => a.Id == actionId);
        if (index < 0)
        {
            return (null, ConversationErrors.ActionNotFound);
        }

        // A press is a visitor message the bot answers: it spends the same budget as typing one.
        if (limits.TryVisitor(visitor.ContactId) is { } wait)
        {
            return (null, KefuError.RateLimited(wait));
        }

        var write = new MessageWrite(visitor.TenantId, visitor.InboxId, visitor.ContactId, null, $"act:{messageId:N}:{index}",
            SenderType.Visitor, visitor.ContactId, null, actions[index].Label, null);
        var (written, error) = await writer.WriteAsync(write, cancellationToken);
        return error is not null ? (null, error) : (written!.ToResult(), null);
    }
}
