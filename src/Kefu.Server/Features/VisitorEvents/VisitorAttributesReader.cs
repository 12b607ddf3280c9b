using System.Text.Json;
using Kefu.Server.Features.VisitorEvents.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>The stored attribute set, flattened to text so another feature compares values without knowing their JSON.</summary>
internal sealed class VisitorAttributesReader(IDbContextFactory<KefuDbContext> dbFactory) : IVisitorAttributes
{
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.Set<VisitorAttributeSet>().AsNoTracking().Where(a => a.ContactId == contactId && a.TenantId == tenantId)
            .Select(a => a.Values).FirstOrDefaultAsync(cancellationToken);
        if (json is null)
        {
            return new Dictionary<string, string>();
        }

        // The server wrote this JSON itself (flat, validated), so every value is a string, a number or true/false.
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
        return values.ToDictionary(v => v.Key, v => v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString()! : v.Value.GetRawText(), StringComparer.Ordinal);
    }
}
