using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>Writes audit entries, filling actor, workspace and client address from the current request.</summary>
internal sealed class AuditLog(IHttpContextAccessor http, IDbContextFactory<KefuDbContext> dbs, TimeProvider clock) : IAuditLog
{
    public void Add(KefuDbContext db, AuditRecord record) => db.Add(ToEntry(record));

    public async Task WriteAsync(AuditRecord record, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.Add(ToEntry(record));
        await db.SaveChangesAsync(ct);
    }

    private AuditEntry ToEntry(AuditRecord record)
    {
        var request = http.HttpContext;
        var agent = AgentIdentity.From(request?.User);
        return new AuditEntry
        {
            TenantId = record.TenantId ?? agent?.TenantId,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            ActorId = record.ActorId ?? agent?.UserId,
            ActorName = Clip(record.ActorName ?? agent?.DisplayName, 100),
            Action = record.Action,
            TargetType = record.TargetType,
            TargetId = Clip(record.TargetId, 100),
            Detail = Clip(record.Detail is null ? null : SafeText.SingleLine(record.Detail), 500),
            Outcome = record.Outcome,
            ClientIp = request?.Connection.RemoteIpAddress?.ToString(),
        };
    }

    private static string? Clip(string? value, int max) => value is { Length: > 0 } && value.Length > max ? value[..max] : value;
}
