using Kefu.Server.Features.Tickets.Contracts;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Starts and stops a ticket's SLA targets as it changes, from its priority's policy. Targets stop when met (a public
/// reply, solved) and while nobody owes the customer anything (pending, solved, closed, merged); the due instants are
/// kept so the list and the sweep only compare instants.
/// </summary>
internal static class TicketSla
{
    /// <summary>On creation: first reply and resolution start now.</summary>
    public static void Start(Ticket t, SlaTerms? policy, DateTime now)
    {
        t.SlaWarnBeforeMinutes = policy?.WarnBeforeMinutes ?? 0;
        t.FirstReplyDueAt = Due(policy, policy?.FirstReplyMinutes, now);
        t.ResolutionDueAt = Due(policy, policy?.ResolutionMinutes, now);
        t.NextReplyDueAt = null;
        Refresh(t);
    }

    /// <summary>The priority or the tags changed: the running targets are recomputed from the ticket's start under the policy that now applies.</summary>
    public static void Reprioritise(Ticket t, SlaTerms? policy)
    {
        t.SlaWarnBeforeMinutes = policy?.WarnBeforeMinutes ?? 0;
        if (t.FirstRepliedAt is null)
        {
            t.FirstReplyDueAt = Due(policy, policy?.FirstReplyMinutes, t.CreatedAt);
        }

        if (t.SolvedAt is null)
        {
            t.ResolutionDueAt = Due(policy, policy?.ResolutionMinutes, t.CreatedAt);
        }

        t.SlaWarned = SlaTargets.None;
        Refresh(t);
    }

    /// <summary>An agent's public reply: the first-reply and next-reply targets are met.</summary>
    public static void Replied(Ticket t, DateTime now)
    {
        t.FirstRepliedAt ??= now;
        t.FirstReplyDueAt = null;
        t.NextReplyDueAt = null;
        t.SlaWarned &= ~(SlaTargets.FirstReply | SlaTargets.NextReply);
        Refresh(t);
    }

    /// <summary>The customer wrote: the next-reply target starts (the first reply, if still owed, keeps its own).</summary>
    public static void CustomerWrote(Ticket t, SlaTerms? policy, DateTime now)
    {
        if (t.FirstRepliedAt is not null)
        {
            t.NextReplyDueAt = Due(policy, policy?.NextReplyMinutes, now);
            t.SlaWarned &= ~SlaTargets.NextReply;
            t.SlaBreached &= ~SlaTargets.NextReply;
        }

        Refresh(t);
    }

    /// <summary>Recomputes the nearest due time and the sweep's next look, from the status and the due instants.</summary>
    public static void Refresh(Ticket t)
    {
        var running = t.Status is TicketStatus.New or TicketStatus.Open or TicketStatus.OnHold && t.MergedIntoId is null;
        var dues = running ? new[] { t.FirstReplyDueAt, t.NextReplyDueAt, t.ResolutionDueAt }.Where(d => d is not null).Select(d => d!.Value).ToList() : [];
        t.NextDueAt = dues.Count == 0 ? null : dues.Min();
        var looks = new List<DateTime>();
        foreach (var (target, due) in Targets(t))
        {
            if (running && due is { } d && !t.SlaBreached.HasFlag(target))
            {
                looks.Add(t.SlaWarned.HasFlag(target) || t.SlaWarnBeforeMinutes == 0 ? d : d.AddMinutes(-t.SlaWarnBeforeMinutes));
            }
        }

        t.SlaCheckAt = looks.Count == 0 ? null : looks.Min();
    }

    public static IEnumerable<(SlaTargets Target, DateTime? Due)> Targets(Ticket t) =>
        [(SlaTargets.FirstReply, t.FirstReplyDueAt), (SlaTargets.NextReply, t.NextReplyDueAt), (SlaTargets.Resolution, t.ResolutionDueAt)];

    private static DateTime? Due(SlaTerms? policy, int? minutes, DateTime from) =>
        policy is null || minutes is not { } m ? null : SlaClock.Due(from, TimeSpan.FromMinutes(m), policy.Hours);
}
