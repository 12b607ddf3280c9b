using System.Text.Json;

namespace Kefu.Server.Features.Tickets.Contracts;

/// <summary>The order of a list: newest first (created), recently changed first (updated), or the nearest due time first (due).</summary>
public enum TicketSort
{
    /// <summary>Newest first.</summary>
    Created,

    /// <summary>Most recently changed first.</summary>
    Updated,

    /// <summary>Nearest SLA due time first; tickets without one last.</summary>
    Due,
}

/// <summary>The filters and sort of a saved ticket view; every filter is optional and they all apply together.</summary>
/// <param name="Status">Only this status.</param>
/// <param name="Priority">Only this priority.</param>
/// <param name="Assignee"><c>me</c> (whoever opens the view), <c>unassigned</c>, or an agent's id; null for anyone.</param>
/// <param name="TeamId">Only tickets of this team.</param>
/// <param name="Tag">Only tickets with this tag.</param>
/// <param name="BreachingSoon">Only tickets with an SLA target due within two hours or breached, still running.</param>
/// <param name="Field">A custom field's key (an archived field too); with <paramref name="FieldValue"/>.</param>
/// <param name="FieldValue">The value the field must hold, checked against the field's type (<c>"Gold"</c>, <c>42</c>, <c>true</c>, <c>"2026-12-01"</c>).</param>
/// <param name="Sort"><c>created</c> (newest first), <c>updated</c> or <c>due</c> (nearest SLA due time first).</param>
public sealed record TicketViewFilters(
    TicketStatus? Status = null, TicketPriority? Priority = null, string? Assignee = null, Guid? TeamId = null, string? Tag = null,
    bool BreachingSoon = false, string? Field = null, JsonElement? FieldValue = null, TicketSort Sort = TicketSort.Created);

/// <summary>A new saved view, or a saved view's new name, sharing and filters (a rename sends the same filters).</summary>
/// <param name="Name">1–60 characters.</param>
/// <param name="Shared">True to share it with the workspace (Settings permission); false for the caller's own.</param>
/// <param name="Filters">What the view lists.</param>
public sealed record TicketSavedViewInput(string? Name, bool Shared = false, TicketViewFilters? Filters = null);

/// <summary>A saved ticket view.</summary>
/// <param name="Id">View id: <c>GET /api/v1/tickets?savedViewId=</c> lists its tickets.</param>
/// <param name="Name">Its name.</param>
/// <param name="Shared">Shared with the workspace (else the caller's own).</param>
/// <param name="Editable">Whether the caller may rename or delete it (their own; a shared one with the Settings permission).</param>
/// <param name="Filters">Its filters; <c>FieldValue</c> in the field's stored form.</param>
/// <param name="UpdatedAt">Last change.</param>
public sealed record TicketSavedViewDto(Guid Id, string Name, bool Shared, bool Editable, TicketViewFilters Filters, DateTime UpdatedAt);
