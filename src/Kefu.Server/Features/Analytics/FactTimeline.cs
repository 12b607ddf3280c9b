using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// How each journal event changes a conversation's <see cref="ConversationFact"/>: the metrics' definitions in code
/// (<c>docs/metrics.md</c> in words). Pure: no clock, no database, so every metric is tested on scripted timelines.
/// Events come at least once: a repeated one (same kind, not later than the one applied) changes nothing.
/// </summary>
internal static class FactTimeline
{
    /// <summary>A new fact for a conversation that started at <paramref name="createdAt"/>.</summary>
    public static ConversationFact Start(Guid conversationId, Guid tenantId, Guid inboxId, DateTime createdAt, string tags) => new()
    {
        Id = conversationId,
        TenantId = tenantId,
        InboxId = inboxId,
        CreatedAt = createdAt,
        Hour = HourOf(createdAt),
        Tags = tags,
        UpdatedAt = createdAt,
    };

    /// <summary>The rollup bucket of a time: the hour it falls in, UTC.</summary>
    public static DateTime HourOf(DateTime at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);

    /// <summary>Applies one event; true when the fact changed.</summary>
    public static bool Apply(ConversationFact f, ConversationEvent e)
    {
        var changed = e switch
        {
            ConversationCreated c => Created(f, c),
            ConversationHandedOff h => HandedOff(f, h),
            ConversationQueued q => Queued(f, q),
            ConversationAssigned a => Assigned(f, a.AgentId, a.OccurredAt),
            ConversationTransferred t => Transferred(f, t),
            MessageCreated m => Message(f, m),
            ConversationResolved r => Resolved(f, r),
            ConversationReopened o => Reopened(f, o.OccurredAt),
            ConversationLeftMessage l => LeftMessage(f, l.OccurredAt),
            SurveyAnswered s => Survey(f, s),
            _ => false,
        };
        if (changed && e.OccurredAt > f.UpdatedAt)
        {
            f.UpdatedAt = e.OccurredAt;
        }

        return changed;
    }

    private static bool Created(ConversationFact f, ConversationCreated c)
    {
        var startedBy = c.Actor.Type.ToString().ToLowerInvariant();
        var clock = c.Actor.Type == ActorType.Visitor && c.Handler != ConversationHandler.Bot ? c.OccurredAt : f.ResponseClockAt;
        var bot = f.BotInvolved || c.Handler == ConversationHandler.Bot;
        if (f.StartedBy == startedBy && f.ResponseClockAt == clock && f.BotInvolved == bot)
        {
            return false;
        }

        (f.StartedBy, f.ResponseClockAt, f.BotInvolved) = (startedBy, clock, bot);
        return true;
    }

    private static bool HandedOff(ConversationFact f, ConversationHandedOff h)
    {
        if (f.HandedOffAt is not null)
        {
            return false; // the first hand-off counts; a repeat of it changes nothing
        }

        f.HandedOffAt = h.OccurredAt;
        f.HandOffReason = h.Reason;
        f.BotInvolved = true;
        // The visitor's message that made the bot hand off is the first one that reaches a human.
        f.ResponseClockAt ??= f.StartedBy == "visitor" ? h.OccurredAt : null;
        return true;
    }

    private static bool Queued(ConversationFact f, ConversationQueued q)
    {
        if (f.LastQueuedAt >= q.OccurredAt)
        {
            return false;
        }

        f.LastQueuedAt = q.OccurredAt;
        f.QueuedAt ??= q.OccurredAt;
        f.WaitingSince ??= q.OccurredAt; // already waiting (a transfer to a team started it): the wait goes on
        f.TeamId = q.TeamId ?? f.TeamId;
        return true;
    }

    private static bool Assigned(ConversationFact f, Guid agentId, DateTime at)
    {
        if (f.LastAssignedAt >= at)
        {
            return false;
        }

        f.LastAssignedAt = at;
        EndWait(f, at);
        EndHolding(f, at);
        f.FirstAssignedAt ??= at;
        f.AgentId = agentId;
        f.HeldSince = at;
        var id = agentId.ToString();
        if (!f.Agents.Contains(id, StringComparison.Ordinal))
        {
            f.Agents = f.Agents.Length == 0 ? id : f.Agents + " " + id;
        }

        return true;
    }

    private static bool Transferred(ConversationFact f, ConversationTransferred t)
    {
        if (f.TransferredAt >= t.OccurredAt)
        {
            return false;
        }

        f.TransferredAt = t.OccurredAt;
        f.Transfers++;
        if (t.AgentId is { } agent)
        {
            Assigned(f, agent, t.OccurredAt);
            return true;
        }

        // Back to a team's line: the holder's stretch ends and the visitor waits again.
        EndHolding(f, t.OccurredAt);
        f.TeamId = t.TeamId ?? f.TeamId;
        f.QueuedAt ??= t.OccurredAt;
        f.WaitingSince ??= t.OccurredAt;
        return true;
    }

    private static bool Message(ConversationFact f, MessageCreated m)
    {
        // Only the first agent message after the clock started; the bot's replies never stop it.
        var clock = f.ResponseClockAt ?? (f.StartedBy == "visitor" ? f.CreatedAt : null);
        if (m.Sender != SenderType.Agent || f.FirstResponseAt is not null || clock is null || m.OccurredAt < clock)
        {
            return false;
        }

        f.FirstResponseAt = m.OccurredAt;
        f.FirstResponseSeconds = Seconds(clock.Value, m.OccurredAt);
        return true;
    }

    private static bool Resolved(ConversationFact f, ConversationResolved r)
    {
        if (f.ResolvedAt >= r.OccurredAt)
        {
            return false;
        }

        var at = r.OccurredAt;
        // Ended while waiting, before anyone held it: the visitor left (the idle sweep, an automation or the visitor
        // closed it). A person closing a waiting conversation (spam, a duplicate) is not an abandonment.
        if (f.WaitingSince is not null && f.FirstAssignedAt is null && r.Actor.Type != ActorType.Agent)
        {
            MarkAbandoned(f, at);
        }

        EndWait(f, at);
        EndHolding(f, at);
        f.Resolved = true;
        f.ResolvedAt = at;
        f.FirstResolvedAt ??= at;
        f.ResolutionSeconds = Seconds(f.CreatedAt, at);
        return true;
    }

    private static bool Reopened(ConversationFact f, DateTime at)
    {
        if (f.ReopenedAt >= at || !f.Resolved)
        {
            return false;
        }

        f.ReopenedAt = at;
        f.Reopens++;
        f.Resolved = false;
        return true;
    }

    private static bool LeftMessage(ConversationFact f, DateTime at)
    {
        if (f.Abandoned || f.FirstAssignedAt is not null || f.WaitingSince is null)
        {
            return false;
        }

        MarkAbandoned(f, at);
        EndWait(f, at);
        return true;
    }

    private static bool Survey(ConversationFact f, SurveyAnswered s)
    {
        switch (s.Kind)
        {
            case "csat" when f.CsatScore != s.Score:
                f.CsatScore = s.Score;
                return true;
            case "nps" when f.NpsScore != s.Score:
                f.NpsScore = s.Score;
                return true;
            case "ces" when f.CesScore != s.Score:
                f.CesScore = s.Score;
                return true;
            default:
                return false;
        }
    }

    private static void MarkAbandoned(ConversationFact f, DateTime at)
    {
        f.Abandoned = true;
        f.AbandonedAfterSeconds = f.WaitSeconds + Seconds(f.WaitingSince ?? at, at);
    }

    private static void EndWait(ConversationFact f, DateTime at)
    {
        if (f.WaitingSince is { } since)
        {
            f.WaitSeconds += Seconds(since, at);
            f.WaitingSince = null;
        }
    }

    private static void EndHolding(ConversationFact f, DateTime at)
    {
        if (f.HeldSince is { } since)
        {
            f.HandlingSeconds += Seconds(since, at);
            f.HeldSince = null;
        }
    }

    private static double Seconds(DateTime from, DateTime to) => Math.Max(0, (to - from).TotalSeconds);
}
