using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>
/// One run of the retention job: for each inbox with a retention period, erases its conversations last active
/// before the cutoff, batch by batch, and records one audit entry per inbox with the counts. Stops when this node
/// loses the lease; whatever is left is found again by the next run, so a run needs no saved position to resume.
/// </summary>
internal sealed partial class ApplyRetention(
    IDbContextFactory<KefuDbContext> dbFactory,
    ConversationEraser eraser,
    LeaseStore leases,
    IAuditLog audit,
    IOptions<PrivacyOptions> options,
    TimeProvider time,
    ILogger<ApplyRetention> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        List<InboxRetention> policies;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            policies = await db.Set<InboxRetention>().AsNoTracking().OrderBy(r => r.InboxId).ToListAsync(cancellationToken);
        }

        foreach (var policy in policies)
        {
            try
            {
                if (!await ApplyAsync(policy, cancellationToken))
                {
                    return; // another node holds the lease now; it carries on
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One inbox failing (a poison row, a full disk) must not keep the others' data past its time.
                LogInboxFailed(logger, ex, policy.InboxId);
            }
        }
    }

    /// <summary>Applies one inbox's retention; false when the lease was lost midway.</summary>
    private async Task<bool> ApplyAsync(InboxRetention policy, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-policy.Days);
        var total = new ErasureTally();
        try
        {
            while (true)
            {
                if (!await leases.HoldAsync(RetentionWorker.LeaseName, cancellationToken))
                {
                    return false;
                }

                var batch = await eraser.EraseBatchAsync(policy.TenantId, db => Expired(db, policy, cutoff), settings.BatchSize, policy.Mode,
                    ErasureReasons.Retention, cancellationToken);
                total.Add(batch);
                if (batch["conversations"] < settings.BatchSize)
                {
                    return true;
                }

                // Real time on purpose: the pause lets the message writer in, whatever a test's clock says.
                await Task.Delay(settings.BatchPause, cancellationToken);
            }
        }
        finally
        {
            // Also when the run stops midway (shutdown, lost lease, a failing batch): the batches committed so far
            // are recorded. Only a killed process loses its run's entry; each conversation's deletion event stays.
            if (total["conversations"] > 0)
            {
                await RecordAsync(policy, total);
            }
        }
    }

    private async Task RecordAsync(InboxRetention policy, ErasureTally total)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await audit.WriteAsync(new AuditRecord(AuditActions.RetentionApplied, "inbox", policy.InboxId.ToString(), total.ToJson())
        {
            TenantId = policy.TenantId, // no request, no actor: the system
        }, timeout.Token);
        LogApplied(logger, policy.InboxId, policy.Mode, total["conversations"], total["messages"]);
    }

    /// <summary>Conversations of the inbox whose last message and resolution are both older than the cutoff (and, to anonymise, not done yet).</summary>
    private static IQueryable<Conversation> Expired(KefuDbContext db, InboxRetention policy, DateTime cutoff)
    {
        var expired = db.Conversations.Where(c => c.InboxId == policy.InboxId && c.LastMessageAt < cutoff && (c.ResolvedAt == null || c.ResolvedAt < cutoff));
        var marks = db.Set<AnonymisedConversation>();
        return policy.Mode == ErasureMode.Delete
            ? expired
            : expired.Where(c => !marks.Any(a => a.ConversationId == c.Id && a.LastActiveAt >= c.LastMessageAt));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention in inbox {InboxId} ({Mode}): {Conversations} conversations, {Messages} messages")]
    private static partial void LogApplied(ILogger logger, Guid inboxId, ErasureMode mode, int conversations, int messages);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention failed in inbox {InboxId}; the next run tries again")]
    private static partial void LogInboxFailed(ILogger logger, Exception ex, Guid inboxId);
}
