using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>A retention period to set.</summary>
/// <param name="Days">1–3650 days after the last activity; null turns retention off (keep for ever).</param>
/// <param name="Mode"><c>delete</c> (default) or <c>anonymise</c>.</param>
public sealed record SetInboxRetentionRequest(int? Days, string? Mode);

/// <summary><c>PUT /api/v1/inboxes/{id}/retention</c>: sets or clears an inbox's retention period (audited).</summary>
internal sealed class SetInboxRetention(IDbContextFactory<KefuDbContext> dbFactory, IAuditLog audit, TimeProvider time)
{
    public const int MaxDays = 3650;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/retention", async Task<Results<Ok<InboxRetentionDto>, ProblemHttpResult>> (
                Guid id, SetInboxRetentionRequest request, HttpContext http, SetInboxRetention handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("SetInboxRetention")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.Privacy));

    /// <remarks>The actor is named explicitly: the console calls this from a circuit, where no HTTP request is current.</remarks>
    public async Task<(InboxRetentionDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid inboxId, SetInboxRetentionRequest request, CancellationToken cancellationToken)
    {
        var tenantId = agent.TenantId;
        if (request.Days is < 1 or > MaxDays)
        {
            return (null, PrivacyErrors.DaysOutOfRange);
        }

        var mode = RetentionModes.Parse(request.Mode ?? RetentionModes.Delete);
        if (mode is null)
        {
            return (null, PrivacyErrors.ModeInvalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == tenantId, cancellationToken))
        {
            return (null, PrivacyErrors.InboxNotFound);
        }

        var policy = await db.Set<InboxRetention>().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken);
        if (request.Days is not { } days)
        {
            if (policy is not null)
            {
                db.Remove(policy);
            }

            policy = null;
        }
        else
        {
            if (policy is null)
            {
                policy = new InboxRetention { InboxId = inboxId, TenantId = tenantId };
                db.Add(policy);
            }

            policy.Days = days;
            policy.Mode = mode.Value;
            policy.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }

        audit.Add(db, new AuditRecord(AuditActions.RetentionChanged, "inbox", inboxId.ToString(),
            JsonSerializer.Serialize(new { days = request.Days, mode = RetentionModes.Name(mode.Value) }))
        {
            TenantId = tenantId, ActorId = agent.UserId, ActorName = agent.DisplayName,
        });
        await db.SaveChangesAsync(cancellationToken);
        return (GetInboxRetention.ToDto(inboxId, policy), null);
    }
}
