using System.Security.Claims;
using System.Text.Encodings.Web;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.ApiKeys.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// The <see cref="ApiKeyFormat.Scheme"/> scheme: <c>Authorization: Bearer kefu_…</c> on <c>/api</c> routes, nowhere
/// else (not the console, not the hubs, never a cookie or a query string, so a browser cannot be made to send one).
/// The principal is the key's creator with the key's scopes as a cap (<see cref="AgentIdentity.PermissionCap"/>), so
/// every permission policy and handler check applies to the key as to a person holding those permissions.
/// </summary>
internal sealed partial class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logs, UrlEncoder encoder, ApiKeyStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logs, encoder)
{
    /// <summary>Claim carrying the key's <see cref="ApiKeyAccess"/> as a number.</summary>
    public const string AccessClaim = "kefu:api_key_access";

    /// <summary>Where the scope check leaves the reason for a refusal, so the 403 can name it.</summary>
    public const string RefusalItem = "kefu:api_key_refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!ApiKeyFormat.IsApiKeyHeader(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!Request.Path.StartsWithSegments("/api"))
        {
            return AuthenticateResult.Fail("API keys are accepted by the REST API only.");
        }

        if (await store.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted) is not { } key)
        {
            LogRefused(Logger);
            return AuthenticateResult.Fail("Unknown, revoked or orphaned API key.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, key.CreatedById.ToString()),
            new Claim(AgentIdentity.TenantClaim, key.TenantId.ToString()),
            new Claim(AgentIdentity.NameClaim, key.CreatorName),
            new Claim(ClaimTypes.Role, key.CreatorRole.ToString()),
            new Claim(AgentIdentity.PermissionCapClaim, ((long)key.Permissions).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ApiKeyFormat.KeyIdClaim, key.Id.ToString()),
            new Claim(AccessClaim, ((int)key.Access).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], ApiKeyFormat.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyFormat.Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    /// <summary>A 403 that says why: the key's access level or the route, or a permission the key does not hold.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var error = Context.Items[RefusalItem] as KefuError
            ?? new KefuError("forbidden", "This API key, or the person who created it, lacks the permission this request needs.");
        return KefuProblems.Problem(error).ExecuteAsync(Context);
    }

    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "API key refused: unknown, revoked, or its creator is deactivated")]
    private static partial void LogRefused(ILogger logger);
}
