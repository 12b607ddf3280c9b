using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>
/// <c>GET /console/sso/{tenant}/callback</c>: the provider's answer. The OpenID Connect handler checks the state,
/// correlation cookie, PKCE code exchange, and the id token (signature, issuer, audience, expiry, nonce); then
/// the verified e-mail is mapped to an active agent of that workspace (or one is created, when provisioning is on
/// and the domain allowed) who is signed in through <see cref="SignInManager{TUser}.SignInAsync(TUser, bool, string?)"/>.
/// Every sign-in, refusal and provisioning is audited; refusals are logged without personal data.
/// </summary>
internal sealed partial class CompleteSsoSignIn(
    SignInManager<AgentUser> signIn, KefuDbContext db, IAuditLog audit, TimeProvider time, ILogger<CompleteSsoSignIn> logger)
{
    /// <summary>The authentication method recorded in the session's claims: session tracking and 2FA see it.</summary>
    public const string Method = "sso";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/console/sso/{tenant:guid}/callback", CallbackAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> CallbackAsync(
        Guid tenant, HttpContext http, SsoSchemes schemes, IAuthenticationHandlerProvider handlers, CompleteSsoSignIn self, CancellationToken ct)
    {
        if (await schemes.RefreshAsync(tenant, ct) is null)
        {
            await self.RefuseAsync(tenant, "sso_disabled", null);
            return TypedResults.LocalRedirect(SsoErrors.LoginPage(SsoErrors.Unavailable));
        }

        // The handler checks that the path is its callback path, runs the protocol, then the events below.
        if (await handlers.GetHandlerAsync(http, SsoSchemes.SchemeName(tenant)) is IAuthenticationRequestHandler handler &&
            await handler.HandleRequestAsync())
        {
            return TypedResults.Empty;
        }

        return TypedResults.LocalRedirect(SsoErrors.LoginPage(SsoErrors.Failed, tenant));
    }

    public async Task TicketReceivedAsync(Guid tenantId, TicketReceivedContext ctx)
    {
        ctx.HandleResponse();
        var error = await SignInAsync(tenantId, ctx.Principal ?? new ClaimsPrincipal(), ctx.HttpContext.RequestAborted);
        ctx.Response.Redirect(error is null
            ? StartSsoSignIn.SafeReturnUrl(ctx.ReturnUri)
            : SsoErrors.LoginPage(error, tenantId));
    }

    public async Task RemoteFailureAsync(Guid tenantId, RemoteFailureContext ctx)
    {
        ctx.HandleResponse();
        var reason = ctx.Failure switch
        {
            OpenIdConnectProtocolInvalidNonceException => "nonce",
            OpenIdConnectProtocolException e when e.Message.StartsWith("Message contains error", StringComparison.Ordinal) => "provider_error",
            OpenIdConnectProtocolException => "protocol",
            SecurityTokenException => "id_token",
            { Message: var m } when m.Contains("Correlation failed", StringComparison.Ordinal) => "correlation",
            { Message: var m } when m.Contains(".State", StringComparison.Ordinal) || m.Contains("state", StringComparison.OrdinalIgnoreCase) => "state",
            _ => "other",
        };
        LogProtocolFailure(logger, tenantId, reason, ctx.Failure?.GetType().Name ?? "none");
        await RefuseAsync(tenantId, reason, null);
        ctx.Response.Redirect(SsoErrors.LoginPage(SsoErrors.Failed, tenantId));
    }

    /// <summary>Null when the agent is signed in, otherwise the error code shown on the sign-in page.</summary>
    private async Task<string?> SignInAsync(Guid tenantId, ClaimsPrincipal principal, CancellationToken ct)
    {
        var settings = await db.Set<SsoSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId && s.Enabled, ct);
        if (settings is null)
        {
            await RefuseAsync(tenantId, "sso_disabled", null);
            return SsoErrors.Unavailable;
        }

        var email = principal.FindFirst(settings.EmailClaim)?.Value?.Trim();
        if (email is not { Length: > 2 and <= 256 } || !email.Contains('@', StringComparison.Ordinal))
        {
            await RefuseAsync(tenantId, "no_email", null);
            return SsoErrors.UnverifiedEmail;
        }

        if (settings.RequireVerifiedEmail && !string.Equals(principal.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(tenantId, "email_unverified", null);
            return SsoErrors.UnverifiedEmail;
        }

        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            if (!settings.ProvisionAgents || !settings.AllowsDomainOf(email))
            {
                await RefuseAsync(tenantId, settings.ProvisionAgents ? "domain_not_allowed" : "no_agent", null);
                return SsoErrors.NoAgent;
            }

            user = await ProvisionAsync(settings, email, principal);
            if (user is null)
            {
                await RefuseAsync(tenantId, "provisioning_failed", null);
                return SsoErrors.NoAgent;
            }
        }
        else if (user.TenantId != tenantId)
        {
            // The e-mail belongs to another workspace's agent: this workspace's provider cannot vouch for them.
            await RefuseAsync(tenantId, "other_workspace", null);
            return SsoErrors.NoAgent;
        }
        else if (AgentStatus.IsDeactivated(user))
        {
            await RefuseAsync(tenantId, "deactivated", user.Id);
            return SsoErrors.NoAgent;
        }

        // No local second factor: the provider authenticated the person (ADR 0007).
        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        await signIn.SignInAsync(user, isPersistent: true, authenticationMethod: Method);
        await audit.WriteAsync(new AuditRecord(AuditActions.SsoSignedIn, "agent", user.Id.ToString())
        {
            TenantId = tenantId, ActorId = user.Id, ActorName = user.DisplayName, Outcome = AuditOutcome.Succeeded,
        }, ct);
        LogSignedIn(logger, tenantId, user.Id);
        return null;
    }

    private async Task<AgentUser?> ProvisionAsync(SsoSettings settings, string email, ClaimsPrincipal principal)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var name = Hosting.SafeText.SingleLine(principal.FindFirst("name")?.Value ?? "");
        var user = new AgentUser
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            TenantId = settings.TenantId,
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name is { Length: > 0 and <= 100 } ? name : email[..email.IndexOf('@', StringComparison.Ordinal)],
            Role = settings.ProvisionRole,
            CreatedAt = now,
        };

        // Staged in the context the user store saves with: the agent and its audit entry commit together.
        audit.Add(db, new AuditRecord(AuditActions.SsoProvisioned, "agent", user.Id.ToString(), $"role={user.Role}")
        {
            TenantId = settings.TenantId, ActorId = user.Id, ActorName = user.DisplayName, Outcome = AuditOutcome.Succeeded,
        });
        // No password: this agent signs in through the provider only (an admin may set one later).
        var created = await signIn.UserManager.CreateAsync(user);
        if (!created.Succeeded)
        {
            db.ChangeTracker.Clear();
            return null;
        }

        LogProvisioned(logger, settings.TenantId, user.Id);
        return user;
    }

    private async Task RefuseAsync(Guid tenantId, string reason, Guid? userId)
    {
        LogRefused(logger, tenantId, reason);
        await audit.WriteAsync(new AuditRecord(AuditActions.SsoRefused, userId is null ? null : "agent", userId?.ToString(), "reason=" + reason)
        {
            TenantId = tenantId, ActorId = userId, Outcome = AuditOutcome.Denied,
        }, CancellationToken.None);
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "SSO sign-in of user {UserId} in workspace {TenantId}")]
    private static partial void LogSignedIn(ILogger logger, Guid tenantId, Guid userId);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "SSO sign-in refused in workspace {TenantId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid tenantId, string reason);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "SSO answer refused in workspace {TenantId}: {Reason} ({FailureType})")]
    private static partial void LogProtocolFailure(ILogger logger, Guid tenantId, string reason, string failureType);

    [LoggerMessage(EventId = 9204, Level = LogLevel.Information, Message = "SSO provisioned user {UserId} in workspace {TenantId}")]
    private static partial void LogProvisioned(ILogger logger, Guid tenantId, Guid userId);
}
