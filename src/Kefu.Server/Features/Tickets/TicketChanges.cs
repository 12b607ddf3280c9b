using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

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
    /// status change. <paramref name="policies"/> chooses the SLA policy after the change.
    /// </summary>
    public static KefuError? Apply(KefuDbContext db, Ticket t, TicketChange change, SlaPolicyResolver policies, Actor actor, DateTime now)
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
        var tags = change.Tags is null ? t.Tags : TicketRules.Tags(change.Tags).Tags!;
        var retag = tags != t.Tags;
        t.Tags = tags;
        t.Followers = change.Followers is null ? t.Followers : TicketRules.Join(change.Followers);
        // A tag can choose another policy (a tag rule wins over the priority's): recompute as for a new priority.
        if ((change.Priority is { } priority && priority != t.Priority) || retag)
        {
            t.Priority = change.Priority ?? t.Priority;
            TicketSla.Reprioritise(t, policies.For(t));
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

}
