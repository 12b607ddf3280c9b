using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// One received mail of an inbox that makes tickets (<see cref="EmailSettings.Tickets"/>). A mail whose reply token
/// names a ticket of this inbox that the sender requested goes to that ticket (a pending one wakes up, a closed one
/// gets a follow-up: <see cref="ITicketReplies.AddCustomerReplyAsync"/>); any other mail, a stranger's quoting the
/// thread included, opens a ticket of its own. Idempotent by Message-ID twice over: the ticket side by its external id,
/// the mail record by the inbox and header id.
/// </summary>
internal sealed partial class ReceiveTicketMail(
    IDbContextFactory<KefuDbContext> dbFactory, ITicketReplies tickets, EmailSecrets secrets, SendAutoReply autoReply, MailAttachments attachments, TimeProvider time,
    ILogger<ReceiveTicketMail> logger)
{
    public async Task HandleAsync(Inbox inbox, EmailSettings settings, InboundMail mail, Guid contactId, string from, string headerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<EmailRecord>().AnyAsync(r => r.InboxId == inbox.Id && r.HeaderMessageId == headerId && r.Direction == EmailDirection.Inbound, cancellationToken))
        {
            return; // fetched before; recorded and answered then
        }

        var claimed = await ClaimedTicketAsync(inbox, settings, mail, contactId, now, cancellationToken);
        var externalId = ReceiveMail.ClientId(inbox.Id, headerId);
        var files = await attachments.KeepAsync(inbox.TenantId, contactId, mail, cancellationToken);
        var body = mail.Text(Math.Max(100, TicketLimits.MaxTextLength - EmailThreading.MaxSubjectLength - 4 - files.Note("").Length));
        var text = files.Note(body.Length > 0 ? body : mail.Subject.Length > 0 ? mail.Subject : "-");
        text = text.Length <= TicketLimits.MaxTextLength ? text : text[..TicketLimits.MaxTextLength];
        var ids = files.Files.Select(f => f.Id).ToList();
        var (ticketId, error) = claimed is { } named
            ? await tickets.AddCustomerReplyAsync(inbox.TenantId, named, contactId, text, externalId, cancellationToken, ids)
            : await tickets.OpenAsync(inbox.TenantId, contactId, mail.Subject, text, externalId, inbox.Id, cancellationToken, ids);
        if (error is not null)
        {
            throw new InvalidOperationException($"The mail was refused by tickets: {error.Code}.");
        }

        var automatic = mail.Automatic;
        db.Set<EmailRecord>().Add(new EmailRecord
        {
            Id = Guid.CreateVersion7(now), TenantId = inbox.TenantId, InboxId = inbox.Id, TicketId = ticketId, Direction = EmailDirection.Inbound,
            HeaderMessageId = headerId, References = ReceiveMail.References(mail), Address = from, Subject = mail.Subject, Html = mail.SanitisedHtml(),
            Automatic = automatic, ThreadVerified = claimed is not null, CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (claimed is null && !automatic && settings.AutoReply is not null)
        {
            try
            {
                await autoReply.HandleAsync(inbox, settings, ticketId!.Value, from, headerId, mail.Subject, cancellationToken, ticket: true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAutoReplyFailed(logger, ex, inbox.Id);
            }
        }
    }

    /// <summary>The ticket a valid token in the mail names, when it is of this inbox and the sender is its requester.</summary>
    private async Task<Guid?> ClaimedTicketAsync(Inbox inbox, EmailSettings settings, InboundMail mail, Guid contactId, DateTime now, CancellationToken cancellationToken)
    {
        var key = secrets.ReplyKey(settings);
        if (EmailThreading.Candidates(mail.Mail).Select(t => EmailThreading.Verify(key, inbox.TenantId, t, now)).FirstOrDefault(c => c is not null) is not { } ticketId)
        {
            return null;
        }

        if (await tickets.RequesterAsync(inbox.TenantId, ticketId, inbox.Id, cancellationToken) == contactId)
        {
            return ticketId;
        }

        LogForeignThread(logger, inbox.Id, ticketId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A mail in inbox {InboxId} quoted ticket {TicketId} from another sender (or a ticket of no such inbox); it opens its own")]
    private static partial void LogForeignThread(ILogger logger, Guid inboxId, Guid ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-reply of inbox {InboxId} could not be sent")]
    private static partial void LogAutoReplyFailed(ILogger logger, Exception ex, Guid inboxId);
}
