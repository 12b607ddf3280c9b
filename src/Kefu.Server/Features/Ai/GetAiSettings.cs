using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Ai;

/// <summary>A workspace's LLM settings as clients see them: the API key is never sent back, only whether one is stored.</summary>
/// <param name="Enabled">The LLM is used (off by default).</param>
/// <param name="Endpoint">OpenAI-compatible base address, e.g. <c>http://127.0.0.1:11434/v1</c>; empty when never set.</param>
/// <param name="Model">Model name as the endpoint knows it.</param>
/// <param name="HasApiKey">A key is stored (sealed with Data Protection).</param>
/// <param name="TimeoutSeconds">Longest wait for one call, 1 to 60.</param>
/// <param name="MonthlyTokenBudget">Tokens in and out the workspace may spend per calendar month (UTC).</param>
/// <param name="Translation">Translate between visitors and agents.</param>
/// <param name="TokensThisMonth">Tokens spent so far this month.</param>
public sealed record AiSettingsDto(bool Enabled, string Endpoint, string Model, bool HasApiKey, int TimeoutSeconds, long MonthlyTokenBudget, bool Translation, long TokensThisMonth);

/// <summary><c>GET /api/v1/workspace/ai</c> (settings permission).</summary>
internal sealed class GetAiSettings(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/workspace/ai", async Task<Ok<AiSettingsDto>> (HttpContext http, GetAiSettings handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .WithName("GetAiSettings")
            .WithTags("Ai")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<AiSettingsDto> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AiSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var spent = await db.AiUsage.Where(u => u.TenantId == tenantId && u.CreatedAt >= month)
            .SumAsync(u => (long)u.InputTokens + u.OutputTokens, cancellationToken);
        return row is null
            ? new AiSettingsDto(false, "", "", false, AiSettings.DefaultTimeoutSeconds, AiSettings.DefaultMonthlyTokenBudget, false, spent)
            : new AiSettingsDto(row.Enabled, row.Endpoint, row.Model, row.ProtectedApiKey is not null, row.TimeoutSeconds, row.MonthlyTokenBudget, row.Translation, spent);
    }
}
