using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.Tickets.Contracts;

namespace Kefu.UnitTests.Tickets;

/// <summary>The status table: every pair of statuses is either a listed move, staying put, or refused.</summary>
public sealed class TicketTransitionTests
{
    public static TheoryData<TicketStatus, TicketStatus> Refused() => new()
    {
        { TicketStatus.New, TicketStatus.Closed },
        { TicketStatus.Open, TicketStatus.New },
        { TicketStatus.Open, TicketStatus.Closed },
        { TicketStatus.Pending, TicketStatus.New },
        { TicketStatus.OnHold, TicketStatus.Closed },
        { TicketStatus.Solved, TicketStatus.Pending },
        { TicketStatus.Solved, TicketStatus.New },
        { TicketStatus.Closed, TicketStatus.Open },
        { TicketStatus.Closed, TicketStatus.Solved },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Transition_NotInTheTable_IsRefused(TicketStatus from, TicketStatus to) =>
        Assert.False(TicketTransitions.IsAllowed(from, to));

    [Theory]
    [InlineData(TicketStatus.New, TicketStatus.Open)]
    [InlineData(TicketStatus.Open, TicketStatus.Pending)]
    [InlineData(TicketStatus.Pending, TicketStatus.Open)]
    [InlineData(TicketStatus.OnHold, TicketStatus.Solved)]
    [InlineData(TicketStatus.Solved, TicketStatus.Open)]
    [InlineData(TicketStatus.Solved, TicketStatus.Closed)]
    public void Transition_InTheTable_IsAllowed(TicketStatus from, TicketStatus to) =>
        Assert.True(TicketTransitions.IsAllowed(from, to));

    [Fact]
    public void EveryStatus_MayStayWhereItIs_AndClosedLeadsNowhere()
    {
        foreach (var status in Enum.GetValues<TicketStatus>())
        {
            Assert.True(TicketTransitions.IsAllowed(status, status));
            Assert.DoesNotContain(status, TicketTransitions.From(status));
        }

        Assert.Empty(TicketTransitions.From(TicketStatus.Closed));
    }

    [Fact]
    public void UndeclaredStatus_IsRefused() =>
        Assert.False(TicketTransitions.IsAllowed(TicketStatus.Open, (TicketStatus)42));
}
