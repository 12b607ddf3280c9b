using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// Replies to an Official Account follower through the customer-service message API, on the durable lane. A rejected
/// token is refreshed once and the send retried once; a closed 48-hour window (45015) and other final refusals are
/// recorded on the message (<see cref="WeChatDelivery"/>) instead of retried; network faults and WeChat's "busy"
/// answers throw, so the outbox retries later. A recorded outcome makes a replay a no-op.
/// </summary>
internal sealed partial class WeChatSender(
    IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, WeChatSettingsStore settingsStore, WeChatAccessTokens tokens, WeChatApi api,
    TimeProvider time, ILogger<WeChatSender> logger) : IChannelSender
{
    public ChannelType Channel => ChannelType.WeChatOfficialAccount;

    public async Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<WeChatDelivery>().AnyAsync(d => d.MessageId == message.MessageId, cancellationToken))
        {
            return;
        }

        var inbox = await inboxes.ByIdAsync(message.InboxId, cancellationToken);
        var settings = settingsStore.Read(inbox?.ChannelSettings)
                       ?? throw new InvalidOperationException($"WeChat inbox {message.InboxId} has no readable credentials.");
        var stored = await db.Messages.AsNoTracking().Where(m => m.Id == message.MessageId)
            .Select(m => new { m.Text, m.Actions }).FirstOrDefaultAsync(cancellationToken);
        var openId = await db.Set<WeChatRecipient>().AsNoTracking().Where(r => r.InboxId == message.InboxId && r.ContactId == message.ContactId)
            .OrderByDescending(r => r.CreatedAt).Select(r => r.OpenId).FirstOrDefaultAsync(cancellationToken);
        if (stored is null || openId is null)
        {
            // Erased since (the contact's or the message's deletion): nobody to send to, nothing to retry.
            LogNoRecipient(logger, message.InboxId, message.MessageId);
            return;
        }

        var payload = WeChatOutbound.TextMessage(openId, WeChatOutbound.Text(stored.Text, MessageActions.Read(stored.Actions)));
        var token = await tokens.GetAsync(message.InboxId, settings, null, cancellationToken);
        var result = await api.SendAsync(token.Value, payload, cancellationToken);
        if (result.TokenRejected)
        {
            token = await tokens.GetAsync(message.InboxId, settings, token.Version, cancellationToken);
            result = await api.SendAsync(token.Value, payload, cancellationToken);
        }

        // -1 (system busy), 45009 (daily limit) and a token refused twice may pass: the outbox tries again later.
        if (result.ErrorCode is -1 or 45009 || result.TokenRejected)
        {
            throw new WeChatApiException(result.ErrorCode);
        }

        var state = result.ErrorCode == 0 ? WeChatDeliveryState.Sent : result.WindowClosed ? WeChatDeliveryState.WindowClosed : WeChatDeliveryState.Refused;
        db.Add(new WeChatDelivery
        {
            MessageId = message.MessageId, TenantId = message.TenantId, ConversationId = message.ConversationId, State = state,
            ErrorCode = result.ErrorCode == 0 ? null : result.ErrorCode, At = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (state != WeChatDeliveryState.Sent)
        {
            LogNotDelivered(logger, message.InboxId, message.MessageId, result.ErrorCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WeChat inbox {InboxId}: message {MessageId} has no recipient any more")]
    private static partial void LogNoRecipient(ILogger logger, Guid inboxId, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat inbox {InboxId}: message {MessageId} not delivered (error {Code})")]
    private static partial void LogNotDelivered(ILogger logger, Guid inboxId, Guid messageId, int code);
}
