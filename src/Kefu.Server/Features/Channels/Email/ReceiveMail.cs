using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// One received mail into the conversations: a bounce marks the reply it is about; Kefu's own mail is skipped; any
/// other mail finds or creates the sender's contact (the address is an e-mail identity) and goes through the same
/// inbound path as a widget message (<see cref="IInboundMessages"/>), idempotent by its Message-ID. A reply token in
/// the mail counts only when it is valid for this workspace and the sender owns the conversation it names: a mail
/// from someone else quoting a thread starts that someone's own conversation. An inbox that makes tickets hands the
/// mail to <see cref="ReceiveTicketMail"/> once the sender is known.
/// </summary>
internal sealed partial class ReceiveMail(
    IDbContextFactory<KefuDbContext> dbFactory, IContactIdentities identities, IInboundMessages inbound, EmailSecrets secrets,
    SendAutoReply autoReply, ReceiveTicketMail ticketMail, MailAttachments attachments, TimeProvider time, ILogger<ReceiveMail> logger)
{
    /// <summary>Handles one mail; throws when it should be tried again (and quarantined after a few tries).</summary>
    public async Task HandleAsync(Inbox inbox, EmailSettings settings, InboundMail mail, string fallbackId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (mail.IsBounce)
        {
            await MarkBounceAsync(inbox, mail, now, cancellationToken);
            return;
        }

        var from = mail.Sender?.Address?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(from) || from.Length > 320 || from.Any(char.IsControl) || !from.Contains('@', StringComparison.Ordinal))
        {
            throw new MailLimitException("no_sender");
        }

        if (from == settings.FromAddress)
        {
            return; // our own reply, delivered into the same mailbox (a copy to self, or a test server)
        }

        var name = EmailThreading.OneLine(mail.Sender!.Name, 100);
        var contactId = await identities.ResolveAsync(inbox.TenantId, IdentityKind.Email, from, name.Length > 0 ? name : null, cancellationToken)
                        ?? throw new MailLimitException("no_sender");
        if (settings.Tickets)
        {
            await ticketMail.HandleAsync(inbox, settings, mail, contactId, from, mail.MessageId ?? fallbackId, cancellationToken);
            return;
        }

        var verified = await OwnsThreadAsync(inbox, settings, mail, contactId, now, cancellationToken);
        var headerId = mail.MessageId ?? fallbackId;
        // A mail fetched again (a retry after a failure) keeps the files it kept the first time; none are stored twice.
        var files = await SeenAsync(inbox.Id, headerId, cancellationToken) ? KeptAttachments.None
            : await attachments.KeepAsync(inbox.TenantId, contactId, mail, cancellationToken);
        var notes = files.Note("");
        var body = mail.Text(Math.Max(100, MessageRules.MaxTextLength - EmailThreading.MaxSubjectLength - 4 - notes.Length));
        // A new thread's first line is its subject, as agents read mail; a reply's subject only repeats it.
        var text = files.Note(verified ? body : string.IsNullOrEmpty(body) ? mail.Subject : $"{mail.Subject}\n\n{body}");
        text = text.Length <= MessageRules.MaxTextLength ? text : text[..MessageRules.MaxTextLength];
        var (result, error) = await inbound.ReceiveAsync(new InboundMessage(inbox.TenantId, inbox.Id, contactId, ClientId(inbox.Id, headerId),
            text.Length > 0 ? text : "-"), cancellationToken);
        if (error is not null)
        {
            throw new InvalidOperationException($"The mail was refused by the conversation: {error.Code}.");
        }

        // Each file is a message of its own after the text, as a widget visitor's are (a message carries one file).
        for (var i = 0; i < files.Files.Count; i++)
        {
            var (_, refused) = await inbound.ReceiveAsync(new InboundMessage(inbox.TenantId, inbox.Id, contactId, ClientId(inbox.Id, $"{headerId}#{i}"), null,
                files.Files[i].Id), cancellationToken);
            if (refused is not null)
            {
                throw new InvalidOperationException($"An attachment of the mail was refused by the conversation: {refused.Code}.");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<EmailRecord>().AnyAsync(r => r.MessageId == result!.MessageId, cancellationToken))
        {
            return; // fetched before; recorded and answered then
        }

        var firstOfConversation = !await db.Set<EmailRecord>()
            .AnyAsync(r => r.ConversationId == result!.ConversationId && r.Direction == EmailDirection.Inbound, cancellationToken);
        var automatic = mail.Automatic;
        db.Set<EmailRecord>().Add(new EmailRecord
        {
            Id = Guid.CreateVersion7(now), TenantId = inbox.TenantId, InboxId = inbox.Id, ConversationId = result!.ConversationId,
            MessageId = result.MessageId, Direction = EmailDirection.Inbound, HeaderMessageId = headerId,
            References = References(mail), Address = from, Subject = mail.Subject, Html = mail.SanitisedHtml(),
            Automatic = automatic, ThreadVerified = verified, CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        if (firstOfConversation && !verified && !automatic && settings.AutoReply is not null)
        {
            try
            {
                await autoReply.HandleAsync(inbox, settings, result.ConversationId, from, headerId, mail.Subject, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The mail is in the conversation already; a lost acknowledgement must not make it fail and be fetched again.
                LogAutoReplyFailed(logger, ex, inbox.Id);
            }
        }
    }

    private async Task<bool> OwnsThreadAsync(Inbox inbox, EmailSettings settings, InboundMail mail, Guid contactId, DateTime now, CancellationToken cancellationToken)
    {
        var key = secrets.ReplyKey(settings);
        var claimed = EmailThreading.Candidates(mail.Mail).Select(t => EmailThreading.Verify(key, inbox.TenantId, t, now)).FirstOrDefault(c => c is not null);
        if (claimed is not { } conversationId)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == inbox.TenantId && c.InboxId == inbox.Id)
            .Select(c => (Guid?)c.ContactId).FirstOrDefaultAsync(cancellationToken);
        if (owner == contactId)
        {
            return true;
        }

        LogForeignThread(logger, inbox.Id, conversationId);
        return false;
    }

    private async Task MarkBounceAsync(Inbox inbox, InboundMail mail, DateTime now, CancellationToken cancellationToken)
    {
        var (original, status) = mail.BounceDetails();
        if (original is null)
        {
            LogBounceUnmatched(logger, inbox.Id);
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var marked = await db.Set<EmailRecord>()
            .Where(r => r.InboxId == inbox.Id && r.HeaderMessageId == original && r.Direction != EmailDirection.Inbound && r.BouncedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.BouncedAt, now).SetProperty(r => r.BounceStatus, status), cancellationToken);
        if (marked == 0)
        {
            LogBounceUnmatched(logger, inbox.Id);
        }
    }

    private async Task<bool> SeenAsync(Guid inboxId, string headerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<EmailRecord>().AnyAsync(r => r.InboxId == inboxId && r.HeaderMessageId == headerId && r.Direction == EmailDirection.Inbound, cancellationToken);
    }

    /// <summary>A client message id from the Message-ID: the same mail fetched twice (a restart, two nodes) is stored once.</summary>
    public static string ClientId(Guid inboxId, string headerId) =>
        "email:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{inboxId:N}/{headerId}")))[..40];

    /// <summary>The thread before a mail, oldest first, as stored on its record (empty when too long).</summary>
    public static string References(InboundMail mail)
    {
        var ids = string.Join(' ', EmailThreading.ThreadIds(mail.Mail).Reverse());
        return ids.Length <= EmailThreading.MaxReferencesLength ? ids : "";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A mail in inbox {InboxId} quoted conversation {ConversationId} from another sender; it starts its own")]
    private static partial void LogForeignThread(ILogger logger, Guid inboxId, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auto-reply of inbox {InboxId} could not be sent")]
    private static partial void LogAutoReplyFailed(ILogger logger, Exception ex, Guid inboxId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A bounce in inbox {InboxId} names no reply Kefu sent")]
    private static partial void LogBounceUnmatched(ILogger logger, Guid inboxId);
}
