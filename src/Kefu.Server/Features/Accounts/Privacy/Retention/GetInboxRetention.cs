using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>An inbox's retention period.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="Days">Conversations are kept this many days after they were last active; null keeps them for ever.</param>
/// <param name="Mode"><c>delete</c> or <c>anonymise</c>: what happens to them then.</param>
/// <param name="UpdatedAt">When the period was last set, UTC; null when never.</param>
public sealed record InboxRetentionDto(Guid InboxId, int? Days, string Mode, DateTime? UpdatedAt);

/// <summary>An inbox of the workspace with its retention period, as the console lists them.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="InboxName">Its name.</param>
/// <param name="Days">Days kept after the last activity; null keeps conversations for ever.</param>
/// <param name="Mode"><c>delete</c> or <c>anonymise</c>.</param>
public sealed record InboxRetentionRow(Guid InboxId, string InboxName, int? Days, string Mode);

/// <summary><c>GET /api/v1/inboxes/{id}/retention</c>: how long the inbox keeps its conversations.</summary>
internal sealed class GetInboxRetention(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/retention", async Task<Results<Ok<InboxRetentionDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetInboxRetention handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } dto
                    ? TypedResults.Ok(dto)
                    : KefuProblems.Problem(PrivacyErrors.InboxNotFound))
            .WithName("GetInboxRetention")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.Privacy));

    public async Task<InboxRetentionDto?> HandleAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == tenantId, cancellationToken))
        {
            return null;
        }

        var policy = await db.Set<InboxRetention>().AsNoTracking().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken);
        return ToDto(inboxId, policy);
    }

    /// <summary>
    /// Every inbox of the workspace with its period, by name (the console's settings page). Archived inboxes are left
    /// out: they are gone for the people configuring the workspace, and their policy keeps applying as it was set.
    /// </summary>
    public async Task<IReadOnlyList<InboxRetentionRow>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == tenantId && i.ArchivedAt == null).OrderBy(i => i.Name)
            .Select(i => new { i.Id, i.Name }).ToListAsync(cancellationToken);
        var policies = await db.Set<InboxRetention>().AsNoTracking().Where(r => r.TenantId == tenantId).ToDictionaryAsync(r => r.InboxId, cancellationToken);
        return [.. inboxes.Select(i => policies.GetValueOrDefault(i.Id) is { } p
            ? new InboxRetentionRow(i.Id, i.Name, p.Days, RetentionModes.Name(p.Mode))
            : new InboxRetentionRow(i.Id, i.Name, null, RetentionModes.Delete))];
    }

    public static InboxRetentionDto ToDto(Guid inboxId, InboxRetention? policy) =>
        new(inboxId, policy?.Days, RetentionModes.Name(policy?.Mode ?? ErasureMode.Delete), policy?.UpdatedAt);
}

/// <summary>The API's names of <see cref="ErasureMode"/>s.</summary>
internal static class RetentionModes
{
    public const string Delete = "delete";
    public const string Anonymise = "anonymise";

    public static string Name(ErasureMode mode) => mode == ErasureMode.Anonymise ? Anonymise : Delete;

    public static ErasureMode? Parse(string? name) => name switch
    {
        Delete => ErasureMode.Delete,
        Anonymise => ErasureMode.Anonymise,
        _ => null,
    };
}
