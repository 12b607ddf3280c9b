using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Notifications.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// The tickets' clock, on one node (lease <c>ticket-sweep</c>) every <see cref="TicketsOptions.SweepSeconds"/>: SLA
/// warnings and breaches become <c>ticket.sla_warning</c> / <c>ticket.sla_breached</c> on the durable lane (once per
/// target: the flags are saved with the events), and solved tickets close after <see cref="TicketsOptions.AutoCloseDays"/>.
/// A pass reads only tickets whose <c>SlaCheckAt</c> has come (indexed): one query and one save per batch of 500,
/// nothing on the message path.
/// </summary>
internal sealed partial class TicketSweep(
    IDbContextFactory<KefuDbContext> dbFactory, LeaseStore leases, TicketWriter writer, TicketFollowers followers, IOptions<TicketsOptions> options, TimeProvider time,
    ILogger<TicketSweep> logger) : BackgroundService
{
    public const string LeaseName = "ticket-sweep";
    public const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                try
                {
                    if (await leases.HoldAsync(LeaseName, interval * 3, stoppingToken))
                    {
                        await SweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
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

    /// <summary>One pass; returns how many tickets it changed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Set<Ticket>().Where(t => t.SlaCheckAt != null && t.SlaCheckAt <= now).OrderBy(t => t.SlaCheckAt).Take(BatchSize).ToListAsync(ct);
        foreach (var t in due)
        {
            Clock(db, t, now);
        }

        var closeBefore = now.AddDays(-options.Value.AutoCloseDays);
        var solved = await db.Set<Ticket>().Where(t => t.Status == TicketStatus.Solved && t.SolvedAt != null && t.SolvedAt <= closeBefore)
            .OrderBy(t => t.SolvedAt).Take(BatchSize).ToListAsync(ct);
        foreach (var t in solved)
        {
            TicketChanges.Move(db, t, TicketStatus.Closed, Actor.System, now);
            await followers.AlertAsync(db, t, TicketAlertKind.StatusChanged, null, now, ct);
            t.Version++;
        }

        if (due.Count + solved.Count == 0)
        {
            return 0;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A person changed one of these tickets meanwhile (or another pass got there first): the next pass looks again.
            return 0;
        }

        foreach (var t in due.Concat(solved))
        {
            writer.Changed(t.TenantId, t.Id);
        }

        foreach (var t in solved)
        {
            followers.Announce(t.TenantId, [t]);
        }

        return due.Count + solved.Count;
    }

    /// <summary>Records what has come for one ticket: a breach for each target past due, else a warning for each within its warning time.</summary>
    private static void Clock(KefuDbContext db, Ticket t, DateTime now)
    {
        foreach (var (target, dueAt) in TicketSla.Targets(t))
        {
            if (dueAt is not { } d || t.SlaBreached.HasFlag(target))
            {
                continue;
            }

            ConversationEvent? e = null;
            if (d <= now)
            {
                t.SlaBreached |= target;
                t.SlaWarned |= target;
                e = new TicketSlaBreached(t.Id, target, d) { TenantId = t.TenantId, ConversationId = t.ConversationId ?? Guid.Empty, Actor = Actor.System, OccurredAt = now };
            }
            else if (!t.SlaWarned.HasFlag(target) && t.SlaWarnBeforeMinutes > 0 && d.AddMinutes(-t.SlaWarnBeforeMinutes) <= now)
            {
                t.SlaWarned |= target;
                e = new TicketSlaWarning(t.Id, target, d) { TenantId = t.TenantId, ConversationId = t.ConversationId ?? Guid.Empty, Actor = Actor.System, OccurredAt = now };
            }

            if (e is not null)
            {
                ConversationJournal.Append(db, e);
            }
        }

        TicketSla.Refresh(t);
        t.Version++;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ticket sweep pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
