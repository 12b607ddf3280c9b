using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>What the ticket endpoints, pages and contracts answer when they refuse. On any of these nothing was stored.</summary>
public static class TicketErrors
{
    /// <summary>No such ticket in the caller's workspace (another workspace's is this too).</summary>
    public static readonly KefuError NotFound = new("ticket_not_found", "No such ticket.");

    /// <summary>No such custom ticket field in the caller's workspace.</summary>
    public static readonly KefuError FieldNotFound = new("ticket_field_not_found", "No such ticket field.");

    /// <summary>The caller's role has no ticket permission.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "Your role does not allow working tickets.");

    /// <summary>A merged ticket is read-only: work continues on the one it was merged into.</summary>
    public static readonly KefuError Merged = new("ticket_merged", "This ticket was merged into another; work on that one.");

    /// <summary>A ticket cannot be merged into itself.</summary>
    public static readonly KefuError MergeIntoItself = new KefuError("ticket_merge_into_itself", "A ticket cannot be merged into itself.") with { Field = "targetId" };

    /// <summary>The status cannot go from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static KefuError Transition(TicketStatus from, TicketStatus to) =>
        new KefuError("ticket_transition_not_allowed", $"A ticket cannot go from {Name(from)} to {Name(to)}.") with { Field = "status" };

    /// <summary>A field of the request is invalid.</summary>
    public static KefuError Invalid(string field, string message) => new KefuError("invalid_ticket", message) with { Field = field };

    /// <summary>An SLA policy field is invalid.</summary>
    public static KefuError InvalidSla(string field, string message) => new KefuError("invalid_sla_policy", message) with { Field = field };

    /// <summary>The wire name of a status (<c>onHold</c>).</summary>
    public static string Name(TicketStatus status) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
