using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Sends enqueued replies on one node (the <c>email-replies</c> lease): each one multipart mail to the address the
/// conversation's (or the ticket's) last mail came from, threaded under it, signed with the inbox's signature. A failed send is retried
/// with growing pauses and given up after <see cref="MaxTries"/> (<c>send_failed</c>); a header value from contact data
/// with a line break refuses the reply at once (<c>unsafe_header</c>). The record is updated after the SMTP server
/// accepted the mail: a crash in between sends it again with the same Message-ID, which receivers de-duplicate.
/// </summary>
internal sealed partial class SendReplies(
    IDbContextFactory<KefuDbContext> dbFactory, InboxDirectory inboxes, MailConnections connections, EmailSecrets secrets, EmailReplySignal signal, ITicketReplies tickets,
    LeaseStore leases, IOptions<EmailOptions> options, TimeProvider time, ILogger<SendReplies> logger) : BackgroundService
{
    public const string LeaseName = "email-replies";
    public const int MaxTries = 8;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var sent = 0;
                try
                {
                    sent = await leases.HoldAsync(LeaseName, stoppingToken) ? await PassAsync(stoppingToken) : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                if (sent == 0)
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    /// <summary>Sends what is due; the count handled (sent, refused or given up).</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Set<EmailRecord>().Where(r => r.Pending && (r.NextTryAt == null || r.NextTryAt <= now)).OrderBy(r => r.CreatedAt).Take(20).ToListAsync(cancellationToken);
        var handled = 0;
        foreach (var reply in due)
        {
            try
            {
                await SendAsync(db, reply, now, cancellationToken);
                handled++;
            }
            catch (UnsafeHeaderException)
            {
                (reply.Pending, reply.Refused) = (false, "unsafe_header");
                LogRefused(logger, reply.MessageId);
                handled++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reply.Tries++;
                // Waiting for the received mail's record takes a moment; a mail server's trouble takes longer.
                reply.NextTryAt = now + (ex is NoThreadException ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(Math.Min(600, 2 << reply.Tries)));
                if (reply.Tries >= MaxTries)
                {
                    (reply.Pending, reply.Refused) = (false, ex is NoThreadException ? "no_thread" : "send_failed");
                    handled++;
                }

                LogSendFailed(logger, ex, reply.MessageId, reply.Tries);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return handled;
    }

    private async Task SendAsync(KefuDbContext db, EmailRecord reply, DateTime now, CancellationToken cancellationToken)
    {
        var inbox = await inboxes.ByIdAsync(reply.InboxId, cancellationToken);
        if (inbox is null || EmailSettings.Read(inbox) is not { } settings)
        {
            throw new InvalidOperationException($"Inbox {reply.InboxId} has no e-mail settings.");
        }

        // A ticket's reply continues the ticket's mail and its token names the ticket; a conversation's, the conversation's.
        var (thread, text, contactName, threadId) = reply.TicketId is { } ticketId
            ? await TicketThreadAsync(db, reply, ticketId, cancellationToken)
            : await ConversationThreadAsync(db, reply, cancellationToken);
        var token = EmailThreading.Token(secrets.ReplyKey(settings), reply.TenantId, threadId, now.AddDays(options.Value.ReplyTokenDays));
        var references = string.Join(' ', thread.References.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(thread.InReplyTo ?? "").Where(r => r.Length > 0));
        var subject = thread.InReplyTo is null ? thread.Subject : MailComposer.ReplySubject(thread.Subject);
        var mail = MailComposer.Compose(settings, token, reply.MessageId!.Value, thread.Address, contactName, subject, text, thread.InReplyTo, references, automatic: false);
        using (SmtpClient smtp = await connections.OpenSmtpAsync(settings, cancellationToken))
        {
            await smtp.SendAsync(mail, cancellationToken);
            await smtp.DisconnectAsync(true, cancellationToken);
        }

        (reply.Pending, reply.SentAt, reply.HeaderMessageId, reply.Address, reply.Subject, reply.References) =
            (false, time.GetUtcNow().UtcDateTime, mail.MessageId ?? "", thread.Address, subject, references.Length <= EmailThreading.MaxReferencesLength ? references : "");
    }

    /// <summary>Where a reply goes: the address, the mail it answers (null for the first mail of a thread Kefu starts), the thread before it.</summary>
    private sealed record MailThread(string Address, string? InReplyTo, string References, string Subject)
    {
        public static MailThread Answering(EmailRecord last) => new(last.Address, last.HeaderMessageId, last.References, last.Subject);
    }

    private static async Task<(MailThread Thread, string Text, string? ContactName, Guid ThreadId)> ConversationThreadAsync(
        KefuDbContext db, EmailRecord reply, CancellationToken cancellationToken)
    {
        // The received mail's record is written just after its message commits; a reply that quick waits a try.
        var last = await db.Set<EmailRecord>().AsNoTracking().Where(r => r.ConversationId == reply.ConversationId && r.Direction == EmailDirection.Inbound)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken) ?? throw new NoThreadException();
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == reply.MessageId && m.ConversationId == reply.ConversationId)
            .Select(m => new { m.Text }).FirstOrDefaultAsync(cancellationToken) ?? throw new NoThreadException();
        var contactName = await db.Conversations.AsNoTracking().Where(c => c.Id == reply.ConversationId && c.TenantId == reply.TenantId)
            .Join(db.Contacts, c => c.ContactId, p => p.Id, (c, p) => p.Name).FirstOrDefaultAsync(cancellationToken);
        return (MailThread.Answering(last), message.Text, contactName, reply.ConversationId!.Value);
    }

    private async Task<(MailThread Thread, string Text, string? ContactName, Guid ThreadId)> TicketThreadAsync(
        KefuDbContext db, EmailRecord reply, Guid ticketId, CancellationToken cancellationToken)
    {
        var text = await tickets.ReplyTextAsync(reply.TenantId, reply.MessageId!.Value, cancellationToken) ?? throw new NoThreadException();
        var last = await db.Set<EmailRecord>().AsNoTracking()
            .Where(r => r.TicketId == ticketId && r.InboxId == reply.InboxId && r.Direction == EmailDirection.Inbound && !r.Automatic)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (last is not null)
        {
            // Addressed by the address alone: the mail the customer wrote from names them as they chose.
            return (MailThread.Answering(last), text, null, ticketId);
        }

        // A ticket an agent opened for the customer: no mail from them yet. Later replies continue the thread Kefu started;
        // the first one starts it, to the address EmailTicketReplies found when it was enqueued.
        var sent = await db.Set<EmailRecord>().AsNoTracking()
            .Where(r => r.TicketId == ticketId && r.InboxId == reply.InboxId && r.Direction == EmailDirection.Reply && r.SentAt != null)
            .OrderByDescending(r => r.SentAt).FirstOrDefaultAsync(cancellationToken);
        return sent is not null ? (MailThread.Answering(sent), text, null, ticketId)
            : reply.Address.Length > 0 ? (new MailThread(reply.Address, null, "", reply.Subject), text, null, ticketId)
            : throw new NoThreadException();
    }

    /// <summary>The conversation has no received mail (yet) to answer.</summary>
    private sealed class NoThreadException() : Exception("The conversation has no received mail to answer yet.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {MessageId} refused: a header value from contact data had a line break")]
    private static partial void LogRefused(ILogger logger, Guid? messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {MessageId} not sent (try {Tries}); tried again later")]
    private static partial void LogSendFailed(ILogger logger, Exception ex, Guid? messageId, int tries);

    [LoggerMessage(Level = LogLevel.Error, Message = "E-mail reply pass failed; trying again")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
