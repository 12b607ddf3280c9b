using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Ai;

/// <summary>New LLM settings.</summary>
/// <param name="Enabled">Use the LLM.</param>
/// <param name="Endpoint">OpenAI-compatible base address (absolute http or https, no credentials in it).</param>
/// <param name="Model">Model name.</param>
/// <param name="ApiKey">Null keeps the stored key (refused with <c>ai_api_key_required</c> when the endpoint moves to another server), an empty string removes it, anything else replaces it.</param>
/// <param name="TimeoutSeconds">1 to 60.</param>
/// <param name="MonthlyTokenBudget">1 to 10,000,000,000.</param>
/// <param name="Translation">Translate between visitors and agents.</param>
public sealed record UpdateAiSettingsRequest(bool Enabled, string? Endpoint, string? Model, string? ApiKey, int TimeoutSeconds, long MonthlyTokenBudget, bool Translation = false);

/// <summary><c>PUT /api/v1/workspace/ai</c> (settings permission). Validates everything before anything is stored.</summary>
internal sealed class UpdateAiSettings(IDbContextFactory<KefuDbContext> dbFactory, AiGateway gateway, GetAiSettings reader, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/workspace/ai", async Task<Results<Ok<AiSettingsDto>, ProblemHttpResult>> (
                UpdateAiSettingsRequest request, HttpContext http, UpdateAiSettings handler, CancellationToken ct) =>
            {
                var (settings, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(settings) : KefuProblems.Problem(error);
            })
            .WithName("UpdateAiSettings")
            .WithTags("Ai")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<(AiSettingsDto?, KefuError?)> HandleAsync(AgentIdentity caller, UpdateAiSettingsRequest request, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var endpoint = request.Endpoint?.Trim().TrimEnd('/');
        var model = request.Model?.Trim();
        var error = Validate(endpoint, model, request);
        if (error is not null)
        {
            return (null, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AiSettings.FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (row is null)
        {
            row = new AiSettings { TenantId = tenantId, Endpoint = endpoint!, Model = model! };
            db.AiSettings.Add(row);
        }

        else if (request.ApiKey is null && row.ProtectedApiKey is not null && !AiRules.SameServer(row.Endpoint, endpoint!))
        {
            // The stored key was given for one server: sending it to another (and a test sends at once) needs someone
            // who knows it to type it again, or a user with Settings could read it off a server of their own.
            return (null, AiErrors.ApiKeyRequired);
        }

        row.Enabled = request.Enabled;
        row.Endpoint = endpoint!;
        row.Model = model!;
        row.TimeoutSeconds = request.TimeoutSeconds;
        row.MonthlyTokenBudget = request.MonthlyTokenBudget;
        row.Translation = request.Translation;
        row.ProtectedApiKey = request.ApiKey switch
        {
            null => row.ProtectedApiKey,
            "" => null,
            var key => gateway.Seal(key.Trim()),
        };
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        // The audit line names what changed, never the key.
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "setting", "ai",
            $"enabled={(row.Enabled ? "on" : "off")} model={row.Model} timeout={row.TimeoutSeconds}s budget={row.MonthlyTokenBudget} key={(request.ApiKey is null ? "kept" : request.ApiKey.Length == 0 ? "removed" : "replaced")}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (await reader.HandleAsync(tenantId, cancellationToken), null);
    }

    private static KefuError? Validate(string? endpoint, string? model, UpdateAiSettingsRequest request) =>
        !AiRules.IsValidEndpoint(endpoint) ? AiErrors.InvalidEndpoint
        : model is not { Length: > 0 and <= AiRules.MaxModelLength } || model.Any(char.IsControl) ? AiErrors.InvalidModel
        : request.ApiKey is { } key && (key.Length > AiRules.MaxApiKeyLength || key.Any(char.IsControl)) ? AiErrors.InvalidApiKey
        : request.TimeoutSeconds is < AiRules.MinTimeoutSeconds or > AiRules.MaxTimeoutSeconds ? AiErrors.InvalidTimeout
        : request.MonthlyTokenBudget is < 1 or > AiRules.MaxMonthlyTokenBudget ? AiErrors.InvalidBudget
        : null;
}
