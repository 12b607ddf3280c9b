using Kefu.Server.Features.Tickets.Contracts;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// The one table of status moves, for the API, the console, bulk actions and the sweeps alike. Staying in the same
/// status is not a move (it is allowed and changes nothing). Closed is final for people: only the auto-close sweep
/// closes a solved ticket, an agent may close a solved one by hand, and a closed ticket's reply opens a follow-up.
/// </summary>
internal static class TicketTransitions
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Open, TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.Open] = [TicketStatus.Pending, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.Pending] = [TicketStatus.Open, TicketStatus.OnHold, TicketStatus.Solved],
        [TicketStatus.OnHold] = [TicketStatus.Open, TicketStatus.Pending, TicketStatus.Solved],
        [TicketStatus.Solved] = [TicketStatus.Open, TicketStatus.Closed],
        [TicketStatus.Closed] = [],
    };

    /// <summary>True when a ticket may go from <paramref name="from"/> to <paramref name="to"/> (or stays where it is).</summary>
    public static bool IsAllowed(TicketStatus from, TicketStatus to) =>
        from == to || (Allowed.TryGetValue(from, out var targets) && targets.Contains(to));

    /// <summary>The statuses reachable from <paramref name="from"/>, for the console's status menu.</summary>
    public static IReadOnlyList<TicketStatus> From(TicketStatus from) => Allowed.GetValueOrDefault(from) ?? [];
}
