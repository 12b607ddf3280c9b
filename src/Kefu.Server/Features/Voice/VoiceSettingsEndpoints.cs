using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Voice;

/// <summary>A workspace's speech settings as clients see them: the API key is never sent back, only whether one is stored.</summary>
/// <param name="Enabled">Voice messages are transcribed (off by default).</param>
/// <param name="Endpoint">OpenAI-compatible base address, e.g. <c>http://127.0.0.1:8000/v1</c>; empty when never set.</param>
/// <param name="Model">Model name as the endpoint knows it, e.g. <c>whisper-1</c>.</param>
/// <param name="HasApiKey">A key is stored (sealed with Data Protection).</param>
/// <param name="TimeoutSeconds">Longest wait for one transcription, 1 to 120.</param>
public sealed record VoiceSettingsDto(bool Enabled, string Endpoint, string Model, bool HasApiKey, int TimeoutSeconds);

/// <summary>New speech settings.</summary>
/// <param name="Enabled">Transcribe voice messages.</param>
/// <param name="Endpoint">OpenAI-compatible base address (absolute http or https, no credentials in it).</param>
/// <param name="Model">Model name.</param>
/// <param name="ApiKey">Null keeps the stored key (refused with <c>speech_api_key_required</c> when the endpoint moves to another server), an empty string removes it, anything else replaces it.</param>
/// <param name="TimeoutSeconds">1 to 120.</param>
public sealed record UpdateVoiceSettingsRequest(bool Enabled, string? Endpoint, string? Model, string? ApiKey, int TimeoutSeconds);

/// <summary><c>GET</c> and <c>PUT /api/v1/workspace/voice</c> (settings permission): the speech endpoint. Validates everything before anything is stored.</summary>
internal sealed class VoiceSettingsStore(IDbContextFactory<KefuDbContext> dbFactory, IDataProtectionProvider protection, IAuditLog audit, TimeProvider time)
{
    private const string KeyPurpose = "Kefu.Voice.ApiKey.v1";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/workspace/voice", async Task<Ok<VoiceSettingsDto>> (HttpContext http, VoiceSettingsStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.GetAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .WithName("GetVoiceSettings")
            .WithTags("Voice")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));
        api.MapPut("/workspace/voice", async Task<Results<Ok<VoiceSettingsDto>, ProblemHttpResult>> (
                UpdateVoiceSettingsRequest request, HttpContext http, VoiceSettingsStore store, CancellationToken ct) =>
            {
                var (settings, error) = await store.UpdateAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(settings) : KefuProblems.Problem(error);
            })
            .WithName("UpdateVoiceSettings")
            .WithTags("Voice")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));
    }

    /// <summary>The workspace's settings when transcription is on, with the key unsealed, else null. Never logged.</summary>
    public async Task<(VoiceSettings Settings, string? ApiKey)?> EnabledAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<VoiceSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return row is { Enabled: true } ? (row, row.ProtectedApiKey is { } key ? protection.CreateProtector(KeyPurpose).Unprotect(key) : null) : null;
    }

    public async Task<VoiceSettingsDto> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<VoiceSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        return row is null
            ? new VoiceSettingsDto(false, "", "", false, VoiceSettings.DefaultTimeoutSeconds)
            : new VoiceSettingsDto(row.Enabled, row.Endpoint, row.Model, row.ProtectedApiKey is not null, row.TimeoutSeconds);
    }

    public async Task<(VoiceSettingsDto?, KefuError?)> UpdateAsync(AgentIdentity caller, UpdateVoiceSettingsRequest request, CancellationToken cancellationToken)
    {
        var tenantId = caller.TenantId;
        var endpoint = request.Endpoint?.Trim().TrimEnd('/');
        var model = request.Model?.Trim();
        var error = !VoiceRules.IsValidEndpoint(endpoint) ? VoiceErrors.InvalidEndpoint
            : model is not { Length: > 0 and <= VoiceRules.MaxModelLength } || model.Any(char.IsControl) ? VoiceErrors.InvalidModel
            : request.ApiKey is { } k && (k.Length > VoiceRules.MaxApiKeyLength || k.Any(char.IsControl)) ? VoiceErrors.InvalidApiKey
            : request.TimeoutSeconds is < VoiceRules.MinTimeoutSeconds or > VoiceRules.MaxTimeoutSeconds ? VoiceErrors.InvalidTimeout
            : null;
        if (error is not null)
        {
            return (null, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<VoiceSettings>().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        if (row is null)
        {
            row = new VoiceSettings { TenantId = tenantId, Endpoint = endpoint!, Model = model! };
            db.Add(row);
        }
        else if (request.ApiKey is null && row.ProtectedApiKey is not null && !VoiceRules.SameServer(row.Endpoint, endpoint!))
        {
            // The stored key was given for one server: another server gets it only when someone who knows it types it again.
            return (null, VoiceErrors.ApiKeyRequired);
        }

        row.Enabled = request.Enabled;
        row.Endpoint = endpoint!;
        row.Model = model!;
        row.TimeoutSeconds = request.TimeoutSeconds;
        row.ProtectedApiKey = request.ApiKey switch
        {
            null => row.ProtectedApiKey,
            "" => null,
            var key => protection.CreateProtector(KeyPurpose).Protect(key.Trim()),
        };
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        // The audit line names what changed, never the key.
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "setting", "voice",
            $"enabled={(row.Enabled ? "on" : "off")} model={row.Model} timeout={row.TimeoutSeconds}s key={(request.ApiKey is null ? "kept" : request.ApiKey.Length == 0 ? "removed" : "replaced")}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (await GetAsync(tenantId, cancellationToken), null);
    }
}
