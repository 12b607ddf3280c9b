using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Custom ticket fields: what a definition may be, and the values of a create or a change checked against the
/// workspace's definitions (the contact attributes' <see cref="TypedValues"/>, so both refuse and store alike). Every
/// value of a request is checked before any is written: a wrong type, an unknown key or a missing required value is
/// 422 naming <c>fields.&lt;key&gt;</c>, and nothing of the request is stored.
/// </summary>
internal static partial class TicketFieldRules
{
    public const int MaxKeyLength = 40;
    public const int MaxLabelLength = 60;
    public const int MaxOptions = 50;
    public const int MaxDefinitions = 100;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    public static partial Regex KeyPattern();

    public static KefuError Unknown(string key) =>
        new KefuError("unknown_ticket_field", $"No ticket field '{Short(key)}' is defined in this workspace.") with { Field = "fields." + Short(key) };

    public static KefuError Required(TicketFieldDefinition d) =>
        new KefuError("ticket_field_required", $"{d.Key} is required.") with { Field = "fields." + d.Key };

    public static KefuError Archived(TicketFieldDefinition d) =>
        new KefuError("ticket_field_archived", $"{d.Key} is archived: its values can be read but not written.") with { Field = "fields." + d.Key };

    public static KefuError WrongValue(TicketFieldDefinition d) =>
        new KefuError("invalid_ticket_field", $"{d.Key} must be {TypedValues.Expected(d.Type, d.OptionList)}.") with { Field = "fields." + d.Key };

    /// <summary>
    /// The values of a request, normalised by definition id (null clears), or the 422 error. On a create
    /// (<paramref name="creating"/>) every required field must have a value; on a change a required one cannot be cleared.
    /// </summary>
    public static async Task<(Dictionary<Guid, string?>? Values, KefuError? Error)> CheckAsync(
        KefuDbContext db, Guid tenantId, IReadOnlyDictionary<string, JsonElement>? values, bool creating, CancellationToken ct)
    {
        var definitions = creating || values is { Count: > 0 }
            ? await db.Set<TicketFieldDefinition>().AsNoTracking().Where(d => d.TenantId == tenantId).ToListAsync(ct)
            : [];
        var normalized = new Dictionary<Guid, string?>();
        foreach (var (key, value) in values ?? new Dictionary<string, JsonElement>())
        {
            if (definitions.Find(d => d.Key == key) is not { } definition)
            {
                return (null, Unknown(key));
            }

            // An archived field's values stay as they are: a form no longer offers it, and the API may not write it.
            if (definition.Archived)
            {
                return (null, Archived(definition));
            }

            // Null or an empty string (a form's cleared box) clears the value.
            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined || (value.ValueKind == JsonValueKind.String && value.GetString()!.Trim().Length == 0))
            {
                if (definition.Required)
                {
                    return (null, Required(definition));
                }

                normalized[definition.Id] = null;
                continue;
            }

            if (TypedValues.Normalize(definition.Type, definition.OptionList, value) is not { } normal)
            {
                return (null, WrongValue(definition));
            }

            normalized[definition.Id] = normal;
        }

        if (creating && definitions.FirstOrDefault(d => d.Required && !d.Archived && normalized.GetValueOrDefault(d.Id) is null) is { } missing)
        {
            return (null, Required(missing));
        }

        return (normalized, null);
    }

    /// <summary>Writes checked values of one ticket on <paramref name="db"/> (the caller saves): adds, changes, removes rows.</summary>
    public static async Task ApplyAsync(KefuDbContext db, Guid tenantId, Guid ticketId, IReadOnlyDictionary<Guid, string?> values, bool isNew, CancellationToken ct)
    {
        if (values.Count == 0)
        {
            return;
        }

        var ids = values.Keys.ToList();
        var stored = isNew ? [] : await db.Set<TicketFieldValue>().Where(v => v.TicketId == ticketId && EF.Parameter(ids).Contains(v.DefinitionId)).ToListAsync(ct);
        foreach (var (definitionId, value) in values)
        {
            var row = stored.Find(v => v.DefinitionId == definitionId);
            if (value is null && row is not null)
            {
                db.Remove(row);
            }
            else if (value is not null && row is null)
            {
                db.Add(new TicketFieldValue { TenantId = tenantId, TicketId = ticketId, DefinitionId = definitionId, Value = value });
            }
            else if (value is not null)
            {
                row!.Value = value;
            }
        }
    }

    /// <summary>A ticket's values, by the definitions' order of creation.</summary>
    public static async Task<IReadOnlyList<TicketFieldValueDto>> ReadAsync(KefuDbContext db, Guid tenantId, Guid ticketId, CancellationToken ct) =>
        await (from v in db.Set<TicketFieldValue>().AsNoTracking()
               join d in db.Set<TicketFieldDefinition>().AsNoTracking() on v.DefinitionId equals d.Id
               where v.TicketId == ticketId && v.TenantId == tenantId
               orderby d.CreatedAt, d.Key
               select new TicketFieldValueDto(d.Key, v.Value)).ToListAsync(ct);

    private static string Short(string key) => SafeText.SingleLine(key.Length > MaxKeyLength ? key[..MaxKeyLength] : key);
}
