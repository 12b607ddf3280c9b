using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>
/// <c>GET /api/v1/workspace/sso</c> (settings permission): the caller's workspace's provider, without the secret;
/// 404 while none is configured.
/// </summary>
internal sealed class GetSsoSettings(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static readonly KefuError NotConfigured = new("sso_not_found", "Single sign-on is not configured for this workspace.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/workspace/sso", async Task<Results<Ok<SsoSettingsDto>, ProblemHttpResult>> (HttpContext http, GetSsoSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, BaseUri(http.Request), ct) is { } dto
                    ? TypedResults.Ok(dto)
                    : KefuProblems.Problem(NotConfigured))
            .WithName("GetSsoSettings")
            .WithTags("Workspace")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<SsoSettingsDto?> HandleAsync(Guid tenantId, Uri baseUri, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.Set<SsoSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        return settings is null ? null : ToDto(settings, baseUri);
    }

    public static SsoSettingsDto ToDto(SsoSettings s, Uri baseUri) => new(
        s.Enabled, s.DisplayName, s.Authority, s.ClientId, s.ProtectedClientSecret is not null, s.EmailClaim, s.RequireVerifiedEmail,
        s.DomainList(), s.ProvisionAgents, s.ProvisionRole, s.EnforceSso,
        new Uri(baseUri, SsoSchemes.CallbackPath(s.TenantId)).ToString(),
        new Uri(baseUri, $"/console/login?workspace={s.TenantId:D}").ToString());

    /// <summary>Kefu's own address as the browser sees it (behind a trusted proxy, its scheme and host).</summary>
    public static Uri BaseUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}{request.PathBase}/");
}
