using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// The inbox's acknowledgement of a new conversation, sent at most <see cref="EmailOptions.AutoRepliesPerAddressPerHour"/>
/// times per address per hour: the cap is what ends a loop with an auto-responder that does not mark its mail as
/// automatic (marked ones are never answered at all). Marked <c>Auto-Submitted: auto-replied</c> itself.
/// </summary>
internal sealed partial class SendAutoReply(
    IDbContextFactory<KefuDbContext> dbFactory, MailConnections connections, EmailSecrets secrets, IOptions<EmailOptions> options,
    TimeProvider time, ILogger<SendAutoReply> logger)
{
    public async Task HandleAsync(Inbox inbox, EmailSettings settings, Guid conversationId, string address, string inReplyTo, string subject, CancellationToken cancellationToken, bool ticket = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sent = await db.Set<EmailRecord>()
            .CountAsync(r => r.InboxId == inbox.Id && r.Address == address && r.Direction == EmailDirection.AutoReply && r.CreatedAt > since, cancellationToken);
        if (sent >= options.Value.AutoRepliesPerAddressPerHour)
        {
            LogCapped(logger, inbox.Id);
            return;
        }

        var id = Guid.CreateVersion7(now);
        var token = EmailThreading.Token(secrets.ReplyKey(settings), inbox.TenantId, conversationId, now.AddDays(options.Value.ReplyTokenDays));
        var mail = MailComposer.Compose(settings, token, id, address, null, MailComposer.ReplySubject(subject), settings.AutoReply!, inReplyTo, inReplyTo, automatic: true);
        using (var smtp = await connections.OpenSmtpAsync(settings, cancellationToken))
        {
            await smtp.SendAsync(mail, cancellationToken);
            await smtp.DisconnectAsync(true, cancellationToken);
        }

        db.Set<EmailRecord>().Add(new EmailRecord
        {
            // For a ticket inbox the id is the ticket's: the token names it, and the record belongs to its mail.
            Id = id, TenantId = inbox.TenantId, InboxId = inbox.Id, ConversationId = ticket ? null : conversationId, TicketId = ticket ? conversationId : null,
            Direction = EmailDirection.AutoReply,
            HeaderMessageId = mail.MessageId ?? "", References = inReplyTo, Address = address, Subject = mail.Subject ?? "", CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auto-reply of inbox {InboxId} not sent: the address had its hourly share")]
    private static partial void LogCapped(ILogger logger, Guid inboxId);
}
