using System.Text.Json;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Sets a contact's custom attribute values from an edit or a verified identify call. Every value is checked before
/// any is written, so one wrong value stores none; a JSON null clears the value. Changes are tracked in the caller's
/// context and saved in its transaction.
/// </summary>
internal sealed class ContactAttributeWriter(TimeProvider time)
{
    public const int MaxValuesPerCall = 50;

    /// <summary>Null when the values were applied (or there were none); otherwise the 422 error, with nothing changed.</summary>
    /// <returns>The error, and whether any value changed.</returns>
    public async Task<(KefuError? Error, bool Changed)> ApplyAsync(
        KefuDbContext db, Guid tenantId, Guid contactId, IReadOnlyDictionary<string, JsonElement>? values, CancellationToken cancellationToken)
    {
        if (values is not { Count: > 0 })
        {
            return (null, false);
        }

        if (values.Count > MaxValuesPerCall)
        {
            return (new KefuError("invalid_attribute_value", $"At most {MaxValuesPerCall} attributes at once.") with { Field = "attributes" }, false);
        }

        var keys = values.Keys.ToList();
        var definitions = await db.Set<ContactAttributeDefinition>().AsNoTracking().Where(d => d.TenantId == tenantId && keys.Contains(d.Key)).ToListAsync(cancellationToken);
        var normalized = new Dictionary<Guid, string?>();
        foreach (var (key, value) in values)
        {
            if (definitions.Find(d => d.Key == key) is not { } definition)
            {
                return (ContactAttributeRules.Unknown(key), false);
            }

            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                normalized[definition.Id] = null;
                continue;
            }

            var (normal, error) = ContactAttributeRules.Normalize(definition, value);
            if (error is not null)
            {
                return (error, false);
            }

            normalized[definition.Id] = normal;
        }

        var ids = normalized.Keys.ToList();
        var stored = await db.Set<ContactAttributeValue>().Where(v => v.ContactId == contactId && ids.Contains(v.DefinitionId)).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = false;
        foreach (var (definitionId, value) in normalized)
        {
            var row = stored.Find(v => v.DefinitionId == definitionId);
            if (value is null && row is not null)
            {
                db.Remove(row);
                changed = true;
            }
            else if (value is not null && row is null)
            {
                db.Add(new ContactAttributeValue { TenantId = tenantId, ContactId = contactId, DefinitionId = definitionId, Value = value, UpdatedAt = now });
                changed = true;
            }
            else if (value is not null && row!.Value != value)
            {
                (row.Value, row.UpdatedAt) = (value, now);
                changed = true;
            }
        }

        return (null, changed);
    }
}
