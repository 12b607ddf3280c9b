using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts;

/// <summary>A refresh token from <c>POST /api/v1/auth/token</c> or an earlier refresh.</summary>
/// <param name="RefreshToken">The <c>refreshToken</c> of the token response.</param>
public sealed record RefreshTokenRequest([property: Required, MaxLength(4096)] string RefreshToken);

/// <summary>
/// <c>POST /api/v1/auth/refresh</c>: a new access token and a new refresh token for a refresh token that has not
/// expired, is the latest of its session, of a session that stands (the token carries the session and the security
/// stamp). Each refresh token works once: the session keeps the id of the one refresh token still valid and swaps it
/// by a conditional update, so two racing refreshes cannot both win. Presenting a refresh token that was already used
/// means two parties hold the session's tokens, one of them a thief: the session ends (audited) and both must sign in.
/// </summary>
internal sealed partial class RefreshAgentToken(
    SignInManager<AgentUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time, SessionValidator validator,
    SessionRotation rotation, SessionEnder ender, IAuditLog audit, ILogger<RefreshAgentToken> logger)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/auth/refresh", (RefreshTokenRequest request, HttpContext http, RefreshAgentToken handler) => handler.HandleAsync(request, http.RequestAborted))
            .WithName("RefreshAgentToken")
            .WithTags("Auth")
            .AllowAnonymous()
            .Produces<AccessTokenResponse>();

    public async Task<Results<SignInHttpResult, ProblemHttpResult>> HandleAsync(RefreshTokenRequest request, CancellationToken ct)
    {
        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires ||
            SessionClaims.Session(ticket.Principal) is not { } sessionId ||
            !Guid.TryParse(ticket.Principal.FindFirstValue(SessionClaims.RefreshTokenId), out var presented) ||
            !(await validator.CheckAsync(ticket.Principal, ct)).Valid ||
            await signIn.UserManager.GetUserAsync(ticket.Principal) is not { } user ||
            await signIn.UserManager.IsLockedOutAsync(user))
        {
            return Refused();
        }

        var next = Guid.NewGuid();
        if (!await rotation.TryRotateAsync(sessionId, presented, next, ct))
        {
            // The session stands but this token is not its latest: it was used before. End the session.
            await ender.EndAsync(user.Id, sessionId, endedBy: null, "refresh_token_reused", ct);
            await audit.WriteAsync(new AuditRecord(AuditActions.RefreshTokenReused, "session", sessionId.ToString())
            {
                TenantId = user.TenantId,
                ActorId = user.Id,
                Outcome = AuditOutcome.Denied,
            }, ct);
            LogReused(logger, sessionId, user.Id);
            return Refused();
        }

        // Same session, new refresh token id (and amr); the sign-in result writes a new AccessTokenResponse.
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SessionClaims.SessionId, sessionId.ToString()));
        identity.AddClaim(new Claim(SessionClaims.RefreshTokenId, next.ToString()));
        if (ticket.Principal.FindFirst(ClaimTypes.AuthenticationMethod) is { } method)
        {
            identity.AddClaim(new Claim(ClaimTypes.AuthenticationMethod, method.Value));
        }

        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static ProblemHttpResult Refused() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
        title: "The refresh token is not valid any more; sign in again.", type: "https://kefu.dev/problems/refresh-failed");

    [LoggerMessage(Level = LogLevel.Warning, Message = "A used refresh token of session {SessionId} (user {UserId}) was presented again; the session was ended")]
    private static partial void LogReused(ILogger logger, Guid sessionId, Guid userId);
}
