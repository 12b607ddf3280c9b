using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Routing;

/// <summary>Strategies, serving order, capacity, skills, teams and overflow of the pure routing engine.</summary>
public sealed class RoutingEngineTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid Sales = Guid.CreateVersion7();
    private static readonly Guid Support = Guid.CreateVersion7();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    [Fact]
    public void Order_VipFirst_ThenLongestWaiting()
    {
        var normalEarly = Item(rank: RoutingEngine.Rank(1, vip: false), waited: TimeSpan.FromMinutes(10));
        var normalLate = Item(rank: RoutingEngine.Rank(1, vip: false), waited: TimeSpan.FromMinutes(1));
        var vipLate = Item(rank: RoutingEngine.Rank(1, vip: true), waited: TimeSpan.FromSeconds(5));
        var urgent = Item(rank: RoutingEngine.Rank(3, vip: false), waited: TimeSpan.FromSeconds(1));

        var order = RoutingEngine.Order([normalLate, normalEarly, urgent, vipLate]);

        Assert.Equal([vipLate, urgent, normalEarly, normalLate], order);
    }

    [Fact]
    public void Choose_NeverExceedsCapacity_AndSkipsAgentsNotOnline()
    {
        var full = Agent(A, load: 2, capacity: 2);
        var away = Agent(B, presence: PresenceState.Away);
        var gone = Agent(C, connected: false);

        Assert.Null(RoutingEngine.Choose(Item(), [full, away, gone], Rules(), Now, null));
    }

    [Fact]
    public void Choose_ZeroCapacityAgent_GetsNothing()
    {
        Assert.Null(RoutingEngine.Choose(Item(), [Agent(A, capacity: 0)], Rules(), Now, null));
    }

    [Fact]
    public void Choose_RequiresEverySkillAtItsLevel()
    {
        var item = Item(skills: "zh:3 vip");
        var weak = Agent(A, skills: "zh:2 vip");
        var noVip = Agent(B, skills: "zh:5");
        var fit = Agent(C, skills: "zh:4 vip en");

        Assert.Equal(C, RoutingEngine.Choose(item, [weak, noVip, fit], Rules(), Now, null)!.Agent.UserId);
    }

    [Fact]
    public void RoundRobin_GoesInTurn_AndWraps()
    {
        List<AgentCandidate> agents = [Agent(A), Agent(B), Agent(C)];
        var picks = new List<Guid>();
        Guid? cursor = null;
        for (var i = 0; i < 4; i++)
        {
            var choice = RoutingEngine.Choose(Item(), agents, Rules(RoutingStrategy.RoundRobin), Now, cursor)!;
            picks.Add(choice.Agent.UserId);
            cursor = choice.Agent.UserId;
        }

        Assert.Equal([A, B, C, A], picks);
    }

    [Fact]
    public void RoundRobin_RingWalk_PicksWhatAFullScanWould()
    {
        // The ring walk stops early; a full scan for the smallest eligible id after the cursor (else the smallest)
        // is the rule it must keep, whoever is full, away or disconnected.
        var random = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var agents = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Agent(Guid.NewGuid(), load: random.Next(0, 4), capacity: 3,
                presence: random.Next(5) == 0 ? PresenceState.Away : PresenceState.Online)).ToList();
            RoutingEngine.OrderById(agents);
            Guid? cursor = random.Next(4) == 0 ? null : random.Next(2) == 0 ? agents[random.Next(agents.Count)].UserId : Guid.NewGuid();

            var eligible = agents.Where(a => RoutingEngine.Eligible(a, Item(), Rules(), Now)).Select(a => a.UserId).ToList();
            var expected = eligible.Where(id => cursor is { } c && id.CompareTo(c) > 0).Order().Cast<Guid?>().FirstOrDefault() ?? eligible.Order().Cast<Guid?>().FirstOrDefault();

            Assert.Equal(expected, RoutingEngine.Choose(Item(), agents, Rules(RoutingStrategy.RoundRobin), Now, cursor)?.Agent.UserId);
        }
    }

    [Theory]
    [InlineData(RoutingStrategy.LongestIdle)]
    [InlineData(RoutingStrategy.LeastBusy)]
    [InlineData(RoutingStrategy.RoundRobin)]
    public void OnePass_SpreadsALongLine_OverEveryone(RoutingStrategy strategy)
    {
        // A pass routes the whole line against one snapshot of the agents; each choice must count against the
        // chosen agent at once, or the snapshot's longest idle agent takes conversations until full.
        List<AgentCandidate> agents = [Agent(A, capacity: 5, lastAssigned: Now.AddHours(-3)), Agent(B, capacity: 5, lastAssigned: Now.AddHours(-2)),
            Agent(C, capacity: 5, lastAssigned: Now.AddHours(-1))];
        var picks = new List<Guid>();
        Guid? cursor = null;
        for (var i = 0; i < 6; i++)
        {
            var choice = RoutingEngine.Choose(Item(), agents, Rules(strategy), Now, cursor)!;
            RoutingEngine.Took(choice.Agent, Now, i + 1);
            cursor = choice.Agent.UserId;
            picks.Add(choice.Agent.UserId);
        }

        Assert.Equal([A, B, C, A, B, C], picks);
    }

    [Fact]
    public void LeastBusy_PicksLowestShareOfCapacity()
    {
        var half = Agent(A, load: 2, capacity: 4);
        var third = Agent(B, load: 1, capacity: 3);
        var twoThirds = Agent(C, load: 2, capacity: 3);

        var choice = RoutingEngine.Choose(Item(), [half, third, twoThirds], Rules(RoutingStrategy.LeastBusy), Now, null)!;

        Assert.Equal(B, choice.Agent.UserId);
        Assert.Equal("least_busy", choice.Reason);
    }

    [Fact]
    public void LongestIdle_PicksWhoseLastAssignmentOrFreeingIsOldest()
    {
        var busyRecently = Agent(A, lastAssigned: Now.AddMinutes(-1));
        var freedLongAgo = Agent(B, lastAssigned: Now.AddHours(-2), lastFreed: Now.AddMinutes(-30));
        var freedRecently = Agent(C, lastAssigned: Now.AddHours(-3), lastFreed: Now.AddMinutes(-2));

        Assert.Equal(B, RoutingEngine.Choose(Item(), [busyRecently, freedLongAgo, freedRecently], Rules(RoutingStrategy.LongestIdle), Now, null)!.Agent.UserId);
    }

    [Fact]
    public void ReturningVisitor_GoesToPreviousAgent_WhenAvailable_ElseStrategy()
    {
        var item = Item(preferred: C);
        List<AgentCandidate> agents = [Agent(A), Agent(C)];

        Assert.Equal(new RoutingChoice(agents[1], "returning"), RoutingEngine.Choose(item, agents, Rules(), Now, null));
        agents[1] = Agent(C, presence: PresenceState.Busy);
        Assert.Equal(A, RoutingEngine.Choose(item, agents, Rules(), Now, null)!.Agent.UserId);
        Assert.Equal(A, RoutingEngine.Choose(Item(preferred: C), [Agent(A), Agent(C)], Rules() with { ReturnToPreviousAgent = false }, Now, null)!.Agent.UserId);
    }

    [Fact]
    public void Team_OnlyMembers_UntilOverflowWidensToSecondTeam()
    {
        var rules = Rules() with { OverflowAfter = TimeSpan.FromMinutes(5), OverflowTeamId = Support };
        var supportAgent = Agent(B, teams: [Support]);
        var item = Item(team: Sales, waited: TimeSpan.FromMinutes(1));

        Assert.Null(RoutingEngine.Choose(item, [supportAgent], rules, Now, null));
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(B, RoutingEngine.Choose(item, [supportAgent], rules, Now, null)!.Agent.UserId);
    }

    [Fact]
    public void DeclinedAgent_IsNotOfferedAgain()
    {
        var item = Item() with { Declined = new HashSet<Guid> { A } };

        Assert.Equal(B, RoutingEngine.Choose(item, [Agent(A), Agent(B)], Rules(), Now, null)!.Agent.UserId);
    }

    [Fact]
    public void AnAgentLimitedToOtherInboxes_IsNeverOffered()
    {
        var inbox = Guid.CreateVersion7();
        var item = Item() with { InboxId = inbox };
        var elsewhere = Agent(A, load: 0) with { Inboxes = new HashSet<Guid> { Guid.CreateVersion7() } };
        var here = Agent(B, load: 2) with { Inboxes = new HashSet<Guid> { inbox } };

        Assert.Equal(B, RoutingEngine.Choose(item, [elsewhere, here], Rules(RoutingStrategy.LeastBusy), Now, null)!.Agent.UserId);
        Assert.Null(RoutingEngine.Choose(item, [elsewhere], Rules(), Now, null));
    }

    private QueueItem Item(int rank = 1, TimeSpan? waited = null, string skills = "", Guid? team = null, Guid? preferred = null) =>
        new(Guid.CreateVersion7(), rank, Now - (waited ?? TimeSpan.Zero), SkillSet.Parse(skills), team, preferred, new HashSet<Guid>());

    private static AgentCandidate Agent(
        Guid id, int load = 0, int capacity = 3, PresenceState presence = PresenceState.Online, bool connected = true, string skills = "",
        HashSet<Guid>? teams = null, DateTime? lastAssigned = null, DateTime? lastFreed = null) =>
        new(id, presence, connected, load, capacity, SkillSet.Parse(skills), teams ?? [], lastAssigned, lastFreed);

    private static RoutingRules Rules(RoutingStrategy strategy = RoutingStrategy.RoundRobin) => new(strategy, true, null, null);
}
