using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// <c>GET</c> and <c>PUT /api/v1/bot/flow-settings</c> (settings permission): the base URL of HTTP actions, the hosts an
/// admin allows although they are private or loopback (<c>host:port</c> entries), and the signing secret (generated on request, shown once, kept
/// with Data Protection).
/// </summary>
internal sealed class SaveFlowSettings(IDbContextFactory<KefuDbContext> dbFactory, FlowSecrets secrets, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/bot/flow-settings", async Task<Ok<FlowSettingsDto>> (HttpContext http, SaveFlowSettings h, CancellationToken ct) =>
                TypedResults.Ok(await h.GetAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("GetFlowSettings").WithTags("Bot");
        api.MapPut("/bot/flow-settings", async Task<Results<Ok<FlowSettingsSaved>, ProblemHttpResult>> (FlowSettingsRequest request, HttpContext http, SaveFlowSettings h, CancellationToken ct) =>
                await h.HandleAsync(AgentIdentity.From(http.User)!, request, ct) is var (saved, error) && error is null
                    ? TypedResults.Ok(saved!) : FlowProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings)).WithName("SaveFlowSettings").WithTags("Bot");
    }

    public async Task<FlowSettingsDto> GetAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.FlowSettings.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        return ToDto(row);
    }

    public async Task<(FlowSettingsSaved? Saved, Hosting.KefuError? Error)> HandleAsync(AgentIdentity caller, FlowSettingsRequest request, CancellationToken ct)
    {
        var tenantId = caller.TenantId;
        var baseUrl = request.BaseUrl?.Trim() ?? "";
        if (baseUrl.Length > 0 && (baseUrl.Length > 2000 || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0))
        {
            return (null, FlowProblems.Invalid("baseUrl", "The base URL is an http:// or https:// URL without a user name or password."));
        }

        var entries = (request.AllowedHosts ?? []).Select(FlowAddressGuard.NormalizeEntry).ToList();
        var hosts = entries.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (hosts.Count > 20 || entries.Any(h => h is null))
        {
            return (null, FlowProblems.Invalid("allowedHosts",
                "Up to 20 entries, each host:port (a host name or IP address, IPv6 in brackets, and a port of 1-65535); a host without a port allows only the scheme's default port."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.FlowSettings.FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        if (row is null)
        {
            row = new FlowSettings { TenantId = tenantId };
            db.FlowSettings.Add(row);
        }

        string? secret = null;
        if (request.RotateSecret)
        {
            secret = FlowSecrets.New();
            row.ProtectedSecret = secrets.Protect(secret);
        }

        row.BaseUrl = baseUrl;
        row.AllowedHosts = string.Join(' ', hosts);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        // Who opened which private addresses to flows, and when the secret changed: never the secret itself.
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "setting", "flows",
            $"baseUrl={(baseUrl.Length > 0 ? "set" : "none")} allowedHosts={string.Join(' ', hosts)} secret={(request.RotateSecret ? "rotated" : "kept")}").By(caller));
        await db.SaveChangesAsync(ct);
        return (new FlowSettingsSaved(ToDto(row), secret), null);
    }

    private static FlowSettingsDto ToDto(FlowSettings? row) =>
        new(row?.BaseUrl ?? "", [.. FlowAddressGuard.ParseHosts(row?.AllowedHosts).Order(StringComparer.Ordinal)], row?.ProtectedSecret is not null);
}
