using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Applies a <see cref="TicketChange"/> to a tracked ticket: every field checked first, then set, with the status
/// move checked against <see cref="TicketTransitions"/> and the SLA clock kept in step. Shared by one ticket's update,
/// bulk updates and replies that move the status, so they cannot disagree.
/// </summary>
internal sealed class TicketChanges(TicketGate gate)
{
    /// <summary>Checks what does not depend on a ticket: values declared, subject, tags, people of the workspace.</summary>
    public async Task<KefuError?> CheckAsync(KefuDbContext db, Guid tenantId, TicketChange? change, CancellationToken ct)
    {
        if (change is null)
        {
            return TicketErrors.Invalid("status", "Say what to change.");
        }

        if (!TicketRules.Declared(change.Status) || !TicketRules.Declared(change.Priority) || !TicketRules.Declared(change.Type))
        {
            return TicketErrors.Invalid(!TicketRules.Declared(change.Status) ? "status" : !TicketRules.Declared(change.Priority) ? "priority" : "type", "Unknown value.");
        }

        if (change.Subject is not null && TicketRules.Subject(change.Subject).Error is { } subject)
        {
            return subject;
        }

        if (change.Tags is not null && TicketRules.Tags(change.Tags).Error is { } tags)
        {
            return tags;
        }

        return await gate.CheckPeopleAsync(db, tenantId, change.AssigneeId, change.TeamId, change.Followers, ct);
    }

    /// <summary>
    /// Applies the checked change; the error of a status move the table refuses (nothing applied then). Journals a
    /// status change. <paramref name="policy"/> is the SLA policy of the ticket's priority after the change.
    /// </summary>
    public static KefuError? Apply(KefuDbContext db, Ticket t, TicketChange change, Func<TicketPriority, SlaPolicy?> policy, Actor actor, DateTime now)
    {
        if (t.MergedIntoId is not null)
        {
            return TicketErrors.Merged;
        }

        if (change.Status is { } to && !TicketTransitions.IsAllowed(t.Status, to))
        {
            return TicketErrors.Transition(t.Status, to);
        }

        if (change.Subject is not null)
        {
            t.Subject = TicketRules.Subject(change.Subject).Subject!;
        }

        t.Type = change.Type ?? t.Type;
        t.AssigneeId = change.ClearAssignee ? null : change.AssigneeId ?? t.AssigneeId;
        t.TeamId = change.TeamId ?? t.TeamId;
        t.Tags = change.Tags is null ? t.Tags : TicketRules.Tags(change.Tags).Tags!;
        t.Followers = change.Followers is null ? t.Followers : TicketRules.Join(change.Followers);
        if (change.Priority is { } priority && priority != t.Priority)
        {
            t.Priority = priority;
            TicketSla.Reprioritise(t, policy(priority));
        }

        if (change.Status is { } status && status != t.Status)
        {
            Move(db, t, status, actor, now);
        }

        t.UpdatedAt = now;
        t.Version++;
        return null;
    }

    /// <summary>Moves the status (already checked), keeps the SLA clock and the solved/closed times in step, and journals it.</summary>
    public static void Move(KefuDbContext db, Ticket t, TicketStatus to, Actor actor, DateTime now)
    {
        var from = t.Status;
        t.Status = to;
        if (to == TicketStatus.Solved)
        {
            t.SolvedAt = now;
            t.ResolutionDueAt = null; // met
        }
        else if (to == TicketStatus.Closed)
        {
            t.ClosedAt = now;
        }
        else
        {
            t.SolvedAt = null;
        }

        TicketSla.Refresh(t);
        t.UpdatedAt = now;
        ConversationJournal.Append(db, new TicketStatusChanged(t.Id, from, to)
        {
            TenantId = t.TenantId, ConversationId = t.ConversationId ?? Guid.Empty, Actor = actor, OccurredAt = now,
        });
    }

    /// <summary>The workspace's SLA policies by priority (four rows at most).</summary>
    public static async Task<Func<TicketPriority, SlaPolicy?>> PoliciesAsync(KefuDbContext db, Guid tenantId, CancellationToken ct)
    {
        var policies = await db.Set<SlaPolicy>().AsNoTracking().Where(p => p.TenantId == tenantId).ToDictionaryAsync(p => p.Priority, ct);
        return p => policies.GetValueOrDefault(p);
    }
}
