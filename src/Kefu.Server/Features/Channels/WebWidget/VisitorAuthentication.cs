using System.Security.Claims;
using System.Text.Encodings.Web;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// Authenticates widget visitors by their token: <c>Authorization: Bearer</c>, or the
/// <c>access_token</c> query parameter on hub requests (browsers cannot set headers on WebSockets).
/// </summary>
internal sealed class VisitorAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    VisitorTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Visitor";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (Request.Path.StartsWithSegments("/hubs"))
        {
            token = Request.Query["access_token"];
        }

        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var visitor = tokens.Read(token);
        if (visitor is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid or expired visitor token."));
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, visitor.ContactId.ToString()),
            new Claim(VisitorIdentity.TenantClaim, visitor.TenantId.ToString()),
            new Claim(VisitorIdentity.InboxClaim, visitor.InboxId.ToString()),
        ], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
