using Microsoft.AspNetCore.Authentication;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>
/// <c>GET /console/sso/{tenant}?email=…&amp;returnUrl=…</c>: sends the browser to the workspace's provider
/// (authorization code flow with PKCE; the handler sets the state, nonce and correlation cookie). The e-mail,
/// when given, goes along as <c>login_hint</c>. A workspace without enabled SSO goes back to the sign-in page.
/// </summary>
internal static class StartSsoSignIn
{
    /// <summary>The authentication property carrying the e-mail typed on the sign-in page to the provider.</summary>
    public const string LoginHintItem = "kefu.login_hint";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/console/sso/{tenant:guid}", StartAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/console/sso", FindByEmailAsync).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>
    /// <c>GET /console/sso?email=…</c>, the sign-in page's "single sign-on" form: the workspace whose e-mail domains
    /// include the e-mail's, then its provider. A GET: it changes nothing, so it needs no antiforgery token.
    /// </summary>
    private static async Task<IResult> FindByEmailAsync(string? email, string? returnUrl, SsoDirectory directory, CancellationToken ct)
    {
        var offer = email is { Length: > 0 and <= 256 } ? await directory.ForEmailAsync(email.Trim(), ct) : null;
        return offer is null
            ? TypedResults.LocalRedirect(SsoErrors.LoginPage(SsoErrors.UnknownDomain))
            : TypedResults.LocalRedirect($"/console/sso/{offer.TenantId:D}?email={Uri.EscapeDataString(email!.Trim())}&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}");
    }

    private static async Task<IResult> StartAsync(Guid tenant, string? email, string? returnUrl, HttpContext http, SsoSchemes schemes, CancellationToken ct)
    {
        if (await schemes.RefreshAsync(tenant, ct) is null)
        {
            return TypedResults.LocalRedirect(SsoErrors.LoginPage(SsoErrors.Unavailable));
        }

        var properties = new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) };
        if (email is { Length: > 0 and <= 256 } && email.Contains('@', StringComparison.Ordinal))
        {
            properties.Items[LoginHintItem] = email.Trim();
        }

        return TypedResults.Challenge(properties, [SsoSchemes.SchemeName(tenant)]);
    }

    /// <summary>Only console paths: an attacker's returnUrl must not send the agent elsewhere after signing in.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) &&
        !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : "/console";
}

/// <summary>Why an SSO sign-in ended on the sign-in page; the page shows a text per code (English and Chinese).</summary>
internal static class SsoErrors
{
    /// <summary>The workspace has no enabled single sign-on.</summary>
    public const string Unavailable = "sso_unavailable";

    /// <summary>The provider's answer was refused (state, nonce, token, or the provider reported an error).</summary>
    public const string Failed = "sso_failed";

    /// <summary>The provider vouched for a person who is not an active agent of the workspace.</summary>
    public const string NoAgent = "sso_no_agent";

    /// <summary>The provider did not say the e-mail is verified, or sent none.</summary>
    public const string UnverifiedEmail = "sso_unverified_email";

    /// <summary>No workspace offers single sign-on for the e-mail's domain.</summary>
    public const string UnknownDomain = "sso_unknown_domain";

    /// <summary>Password sign-in is off for this workspace's agents.</summary>
    public const string Required = "sso_required";

    public static readonly string[] All = [Unavailable, Failed, NoAgent, UnverifiedEmail, UnknownDomain, Required];

    public static string LoginPage(string code, Guid? tenant = null) =>
        tenant is { } id ? $"/console/login?workspace={id:D}&error={code}" : $"/console/login?error={code}";
}
