using Kefu.Server.Features.Analytics;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Analytics;

/// <summary>A scripted conversation: events stamped by a fake clock, applied to one fact as the consumer does, and kept for replays.</summary>
internal sealed class ConversationTimeline
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 15, 0, TimeSpan.Zero);

    private readonly Guid _tenant = Guid.NewGuid();
    private readonly Guid _contact = Guid.NewGuid();
    public FakeTimeProvider Clock { get; } = new(Start);
    public Guid Id { get; } = Guid.NewGuid();
    public List<ConversationEvent> Events { get; } = [];
    public ConversationFact Fact { get; }

    public ConversationTimeline() => Fact = FactTimeline.Start(Id, _tenant, Guid.NewGuid(), Start.UtcDateTime, "vip");

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public ConversationTimeline After(int seconds)
    {
        Clock.Advance(TimeSpan.FromSeconds(seconds));
        return this;
    }

    public ConversationTimeline Created(ConversationHandler handler = ConversationHandler.Queue, Actor? by = null) =>
        Apply(new ConversationCreated(Guid.NewGuid(), _contact, handler) { TenantId = _tenant, ConversationId = Id, Actor = by ?? Actor.Visitor(_contact), OccurredAt = Now });

    public ConversationTimeline HandedOff(string reason = "asked_for_human") =>
        Apply(new ConversationHandedOff(reason, true) { TenantId = _tenant, ConversationId = Id, Actor = Actor.Bot, OccurredAt = Now });

    public ConversationTimeline Queued(Guid? team = null) =>
        Apply(new ConversationQueued(0, false, team, "") { TenantId = _tenant, ConversationId = Id, Actor = Actor.System, OccurredAt = Now });

    public ConversationTimeline Assigned(Guid agent) =>
        Apply(new ConversationAssigned(agent, "round_robin") { TenantId = _tenant, ConversationId = Id, Actor = Actor.System, OccurredAt = Now });

    public ConversationTimeline Transferred(Guid from, Guid? toAgent, Guid? toTeam = null) =>
        Apply(new ConversationTransferred(toAgent, toTeam, from, "transfer", "note") { TenantId = _tenant, ConversationId = Id, Actor = Actor.Agent(from), OccurredAt = Now });

    public ConversationTimeline Message(SenderType sender) =>
        Apply(new MessageCreated(Guid.NewGuid(), Events.Count + 1, sender, ConversationHandler.Agent, Guid.NewGuid(), _contact)
            { TenantId = _tenant, ConversationId = Id, Actor = Actor.ForSender(sender, null), OccurredAt = Now });

    public ConversationTimeline Resolved(Actor? by = null) =>
        Apply(new ConversationResolved { TenantId = _tenant, ConversationId = Id, Actor = by ?? Actor.Agent(Guid.NewGuid()), OccurredAt = Now });

    public ConversationTimeline Reopened() =>
        Apply(new ConversationReopened { TenantId = _tenant, ConversationId = Id, Actor = Actor.Visitor(_contact), OccurredAt = Now });

    public ConversationTimeline LeftMessage() =>
        Apply(new ConversationLeftMessage { TenantId = _tenant, ConversationId = Id, Actor = Actor.Visitor(_contact), OccurredAt = Now });

    public ConversationTimeline Survey(string kind, int score) =>
        Apply(new SurveyAnswered(Guid.NewGuid(), kind, score) { TenantId = _tenant, ConversationId = Id, Actor = Actor.Visitor(_contact), OccurredAt = Now });

    private ConversationTimeline Apply(ConversationEvent e)
    {
        Events.Add(e);
        FactTimeline.Apply(Fact, e);
        return this;
    }
}
