using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using MailKit;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Reads what is new in an inbox's mailbox, by UID: the cursor (<see cref="EmailCursor"/>) moves past each mail once
/// it is handled or recorded as failed, so a restart neither misses nor repeats mail, and one bad mail never holds up
/// the ones after it. Failed mail is retried on later passes and quarantined after
/// <see cref="EmailOptions.TriesBeforeQuarantine"/> tries; a mail over a parser limit at once.
/// </summary>
internal sealed partial class FetchMail(IDbContextFactory<KefuDbContext> dbFactory, ReceiveMail receive, IOptions<EmailOptions> options, TimeProvider time, ILogger<FetchMail> logger)
{
    private const int Batch = 50;

    /// <summary>Handles new mail in the open folder; the count handled.</summary>
    public async Task<int> PassAsync(Inbox inbox, EmailSettings settings, IMailFolder folder, CancellationToken cancellationToken)
    {
        var validity = (long)folder.UidValidity;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cursor = await db.Set<EmailCursor>().FirstOrDefaultAsync(c => c.InboxId == inbox.Id, cancellationToken);
        if (cursor is null || cursor.UidValidity != validity)
        {
            // A new inbox (or a mailbox rebuilt by its server, which changes UIDVALIDITY): start at the mail of the day
            // before the inbox was connected rather than years of history. Message-ID idempotency covers a rebuild.
            var since = await folder.SearchAsync(SearchQuery.DeliveredAfter(inbox.CreatedAt.AddDays(-1)), cancellationToken);
            var first = since.Count > 0 ? (long)since.Min(u => u.Id) - 1 : (long)(folder.UidNext?.Id ?? 1) - 1;
            cursor ??= db.Set<EmailCursor>().Add(new EmailCursor { InboxId = inbox.Id, TenantId = inbox.TenantId }).Entity;
            cursor.UidValidity = validity;
            cursor.LastUid = first;
            cursor.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        var handled = await RetryAsync(db, inbox, settings, folder, validity, cancellationToken);
        var fresh = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId((uint)cursor.LastUid + 1), UniqueId.MaxValue)), cancellationToken);
        foreach (var uid in fresh.Where(u => u.Id > cursor.LastUid).OrderBy(u => u.Id).Take(Batch))
        {
            handled += await OneAsync(db, inbox, settings, folder, validity, uid, null, cancellationToken) ? 1 : 0;
            cursor.LastUid = uid.Id;
            cursor.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
        }

        return handled;
    }

    private async Task<int> RetryAsync(KefuDbContext db, Inbox inbox, EmailSettings settings, IMailFolder folder, long validity, CancellationToken cancellationToken)
    {
        var due = await db.Set<EmailQuarantine>().Where(q => q.InboxId == inbox.Id && q.UidValidity == validity && q.QuarantinedAt == null)
            .OrderBy(q => q.Uid).Take(Batch).ToListAsync(cancellationToken);
        var handled = 0;
        foreach (var failed in due)
        {
            handled += await OneAsync(db, inbox, settings, folder, validity, new UniqueId((uint)failed.Uid), failed, cancellationToken) ? 1 : 0;
        }

        return handled;
    }

    private async Task<bool> OneAsync(KefuDbContext db, Inbox inbox, EmailSettings settings, IMailFolder folder, long validity, UniqueId uid,
        EmailQuarantine? failed, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        try
        {
            var summary = (await folder.FetchAsync([uid], MessageSummaryItems.Size, cancellationToken)).FirstOrDefault();
            if (summary is null)
            {
                if (failed is not null)
                {
                    db.Remove(failed); // expunged meanwhile
                    await db.SaveChangesAsync(cancellationToken);
                }

                return false;
            }

            if (summary.Size > (uint)limits.MaxMessageBytes)
            {
                throw new MailLimitException("too_large");
            }

            using var stream = await folder.GetStreamAsync(uid, cancellationToken);
            var mime = await MimeMessage.LoadAsync(stream, cancellationToken);
            await receive.HandleAsync(inbox, settings, InboundMail.Inspect(mime, limits), $"uid.{validity}.{uid.Id}@{inbox.Id:N}", cancellationToken);
            if (failed is not null)
            {
                db.Remove(failed);
                await db.SaveChangesAsync(cancellationToken);
            }

            return true;
        }
        // A broken connection is the mailbox's failure, not this mail's: it ends the pass and the watcher reconnects.
        catch (Exception ex) when (ex is not (OperationCanceledException or IOException or MailKit.Net.Imap.ImapProtocolException or ServiceNotConnectedException))
        {
            await FailAsync(db, inbox, validity, uid, failed, ex, cancellationToken);
            return false;
        }
    }

    private async Task FailAsync(KefuDbContext db, Inbox inbox, long validity, UniqueId uid, EmailQuarantine? failed, Exception ex, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var limit = ex as MailLimitException;
        failed ??= db.Set<EmailQuarantine>().Add(new EmailQuarantine { TenantId = inbox.TenantId, InboxId = inbox.Id, UidValidity = validity, Uid = uid.Id, Reason = "failed" }).Entity;
        failed.Tries++;
        failed.Reason = limit?.Reason ?? "failed";
        failed.LastTriedAt = now;
        if (limit is not null || failed.Tries >= options.Value.TriesBeforeQuarantine)
        {
            failed.QuarantinedAt = now;
            LogQuarantined(logger, inbox.Id, uid.Id, failed.Reason);
        }
        else
        {
            LogFailed(logger, ex, inbox.Id, uid.Id, failed.Tries);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Uid} of inbox {InboxId} quarantined: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, Guid inboxId, uint uid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Uid} of inbox {InboxId} failed (try {Tries}); retried at the next pass")]
    private static partial void LogFailed(ILogger logger, Exception ex, Guid inboxId, uint uid, int tries);
}
