using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// What a saved ticket view may hold, checked before anything is stored: a name, known enum values, an assignee that is
/// <c>me</c>, <c>unassigned</c> or an active agent, a team of the workspace, one tag, and a custom field filter whose key
/// exists (422 <c>unknown_ticket_field</c>) and whose value fits the field's type (422 <c>invalid_ticket_field</c>).
/// </summary>
internal static class TicketViewRules
{
    public const int MaxNameLength = 60;
    public const int MaxViewsPerOwner = 100;
    public const string Me = "me";
    public const string Nobody = "unassigned";

    public static readonly KefuError NotFound = new("ticket_view_not_found", "No such saved view.");

    public static KefuError Invalid(string field, string message) => new KefuError("invalid_ticket_view", message) with { Field = field };

    /// <summary>Checks <paramref name="input"/> and writes it onto <paramref name="row"/> (not saved); the error names the field and leaves the row as it was.</summary>
    public static async Task<KefuError?> ApplyAsync(KefuDbContext db, TicketGate gate, IAccessControl access, AgentIdentity caller, TicketSavedViewInput? input, TicketSavedView row, CancellationToken ct)
    {
        var name = SafeText.SingleLine(input?.Name);
        if (name.Length is 0 or > MaxNameLength)
        {
            return Invalid("name", $"A view needs a name of 1 to {MaxNameLength} characters.");
        }

        var f = input!.Filters ?? new TicketViewFilters();
        if ((f.Status is { } s && !Enum.IsDefined(s)) || (f.Priority is { } p && !Enum.IsDefined(p)) || !Enum.IsDefined(f.Sort))
        {
            return Invalid(f.Status is { } s2 && !Enum.IsDefined(s2) ? "filters.status" : f.Priority is { } p2 && !Enum.IsDefined(p2) ? "filters.priority" : "filters.sort", "Unknown value.");
        }

        var assignee = f.Assignee?.Trim().ToLowerInvariant() is { Length: > 0 } a ? a : null;
        Guid? agentId = null;
        if (assignee is not null and not Me and not Nobody)
        {
            if (!Guid.TryParse(assignee, out var id) || await gate.CheckPeopleAsync(db, caller.TenantId, id, null, null, ct) is not null)
            {
                return Invalid("filters.assignee", "The assignee is me, unassigned, or an active agent of this workspace.");
            }

            agentId = id;
        }

        if (f.TeamId is { } team && await gate.CheckPeopleAsync(db, caller.TenantId, null, team, null, ct) is not null)
        {
            return Invalid("filters.teamId", "No such team in this workspace.");
        }

        string? tag = null;
        if (!string.IsNullOrWhiteSpace(f.Tag))
        {
            var (tags, bad) = TicketRules.Tags([f.Tag]);
            if (bad is not null)
            {
                return Invalid("filters.tag", bad.Message);
            }

            tag = tags;
        }

        Guid? fieldId = null;
        string? fieldValue = null;
        var hasValue = f.FieldValue is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) };
        if (!string.IsNullOrWhiteSpace(f.Field))
        {
            // Archived fields count: their values stay on old tickets, and a view may still find them.
            var key = f.Field.Trim();
            var definition = await db.Set<TicketFieldDefinition>().AsNoTracking().FirstOrDefaultAsync(d => d.TenantId == caller.TenantId && d.Key == key, ct);
            if (definition is null)
            {
                return TicketFieldRules.Unknown(key) with { Field = "filters.field" };
            }

            if (!hasValue || TypedValues.Normalize(definition.Type, definition.OptionList, f.FieldValue!.Value) is not { } normal)
            {
                return TicketFieldRules.WrongValue(definition) with { Field = "filters.fieldValue" };
            }

            (fieldId, fieldValue) = (definition.Id, normal);
        }
        else if (hasValue)
        {
            return Invalid("filters.field", "A field value needs the field's key.");
        }

        if (input.Shared && !await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return TicketErrors.Forbidden with { Message = "Sharing a view with the workspace takes the Settings permission." };
        }

        row.Name = name;
        row.OwnerId = input.Shared ? null : caller.UserId;
        row.Status = f.Status;
        row.Priority = f.Priority;
        row.Assignee = agentId?.ToString() ?? assignee;
        row.TeamId = f.TeamId;
        row.Tag = tag;
        row.BreachingSoon = f.BreachingSoon;
        row.FieldId = fieldId;
        row.FieldValue = fieldValue;
        row.Sort = f.Sort;
        return null;
    }

    /// <summary>The list query a view stands for, for <paramref name="caller"/> (<c>me</c> is whoever opens it).</summary>
    public static TicketQuery ToQuery(TicketSavedView v, AgentIdentity caller) => new(
        Status: v.Status, Priority: v.Priority,
        AssigneeId: v.Assignee == Me ? caller.UserId : Guid.TryParse(v.Assignee, out var agent) ? agent : null,
        Tag: v.Tag, Sort: v.Sort, TeamId: v.TeamId, Unassigned: v.Assignee == Nobody, BreachingSoon: v.BreachingSoon,
        // A view of a field filters on it; Guid.Empty is never a field, so a view whose field went away would list nothing.
        FieldId: v.FieldId, FieldValue: v.FieldValue);

    public static TicketSavedViewDto ToDto(TicketSavedView v, IReadOnlyDictionary<Guid, string> fieldKeys, bool editable) => new(
        v.Id, v.Name, v.OwnerId is null, editable,
        new TicketViewFilters(v.Status, v.Priority, v.Assignee, v.TeamId, v.Tag, v.BreachingSoon,
            v.FieldId is { } id ? fieldKeys.GetValueOrDefault(id) : null, v.FieldValue is null ? null : JsonSerializer.SerializeToElement(v.FieldValue), v.Sort),
        v.UpdatedAt);
}
