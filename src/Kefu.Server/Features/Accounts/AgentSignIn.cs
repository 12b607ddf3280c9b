using System.Net;
using System.Security.Cryptography;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Kefu.Server.Features.Accounts.Sso;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>How a password sign-in ended.</summary>
internal enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
    Throttled,

    /// <summary>The password was right, but the agent's workspace signs its agents in through its provider only.</summary>
    SsoRequired,

    /// <summary>The password was right and the account has two-factor sign-in: a code must follow.</summary>
    TwoFactorRequired,
}

/// <summary>
/// The outcome, for <see cref="SignInOutcome.Throttled"/> how long to wait, and for <see cref="SignInOutcome.SsoRequired"/>
/// the workspace whose provider to use.
/// </summary>
internal sealed record AgentSignInResult(SignInOutcome Outcome, TimeSpan RetryAfter = default, Guid? SsoWorkspace = null);

/// <summary>A second factor: the authenticator's code, or one of the recovery codes.</summary>
internal sealed record SecondFactor(string? Code, string? RecoveryCode)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(RecoveryCode);
}

/// <summary>
/// Password sign-in for the console form and the token endpoint alike: rate limited per client IP
/// and per account before the password is checked, with failures and lockouts logged by user id
/// (never the e-mail that was typed) and audited. Every failure costs one password-hash verification, so the time
/// taken does not tell an unknown e-mail from a wrong password or a locked (or deactivated) account;
/// callers give those one answer (only <see cref="SignInOutcome.Throttled"/> differs, and it does not
/// depend on whether the account exists). In a workspace that enforces single sign-on, agents who are not
/// admins are refused after their password was checked (<see cref="SignInOutcome.SsoRequired"/>): only someone
/// who knows the password learns that the account exists. Admins keep password sign-in (break-glass).
/// Accounts with two-factor sign-in need a code as well, limited and locked out like passwords: a wrong code
/// counts as a failed attempt.
/// </summary>
internal sealed partial class AgentSignIn(
    SignInManager<AgentUser> signIn, SignInRateLimit limits, IPasswordHasher<AgentUser> hasher, SsoDirectory sso, IAuditLog audit,
    ILogger<AgentSignIn> logger)
{
    // Hashed once with the configured hasher, so verifying against it costs what a real verification costs.
    private static readonly AgentUser Nobody = new() { DisplayName = "" };
    private static string? s_dummyHash;

    /// <param name="scheme">Where a success is written: the Identity cookie, or the bearer token response.</param>
    /// <param name="second">For the token endpoint, the second factor sent with the password; the console asks for it on a page of its own.</param>
    public async Task<AgentSignInResult> PasswordAsync(string email, string password, IPAddress? client, bool persistent, string scheme, SecondFactor? second = null)
    {
        if (limits.TryAcquire(client, email) is { } wait)
        {
            LogThrottled(logger, RetryAfter.Seconds(wait));
            return new AgentSignInResult(SignInOutcome.Throttled, wait);
        }

        var user = await signIn.UserManager.FindByNameAsync(email.Trim());
        if (user is null)
        {
            VerifyAgainstDummy(password);
            LogUnknownAccount(logger);
            await AuditAsync(null, AuditActions.SignInFailed, "unknown_account");
            return new AgentSignInResult(SignInOutcome.Failed);
        }

        // Identity answers a locked account before hashing (fast, and a different answer): hash here instead.
        if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            VerifyAgainstDummy(password);
            LogAttemptWhileLocked(logger, user.Id);
            await AuditAsync(user, AuditActions.SignInFailed, "locked_out");
            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        if (!IsBreakGlassAdmin(user) && await sso.EnforcedAsync(user.TenantId, CancellationToken.None))
        {
            return await RefuseForSsoAsync(user, password);
        }

        signIn.AuthenticationScheme = scheme;
        var result = await signIn.PasswordSignInAsync(user, password, persistent, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return second is null || second.IsEmpty
                ? new AgentSignInResult(SignInOutcome.TwoFactorRequired)
                : await CheckSecondFactorAsync(user, second, persistent);
        }

        return await PasswordResultAsync(user, result);
    }

    /// <summary>
    /// The console's second step: the user the password step remembered (Identity's short-lived two-factor cookie)
    /// gives a code or a recovery code. Failed when that cookie is missing or expired.
    /// </summary>
    public async Task<AgentSignInResult> SecondFactorAsync(SecondFactor second, IPAddress? client, bool persistent)
    {
        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return new AgentSignInResult(SignInOutcome.Failed);
        }

        if (limits.TryAcquire(client, user.UserName ?? user.Id.ToString()) is { } wait)
        {
            LogThrottled(logger, RetryAfter.Seconds(wait));
            return new AgentSignInResult(SignInOutcome.Throttled, wait);
        }

        return await CheckSecondFactorAsync(user, second, persistent);
    }

    private async Task<AgentSignInResult> CheckSecondFactorAsync(AgentUser user, SecondFactor second, bool persistent)
    {
        var recovery = string.IsNullOrWhiteSpace(second.Code);
        var result = recovery
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(TwoFactorKeys.NormalizeRecovery(second.RecoveryCode))
            : await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactorKeys.Normalize(second.Code), persistent, rememberClient: false);
        if (result.Succeeded)
        {
            if (recovery)
            {
                await AuditAsync(user, AuditActions.RecoveryCodeUsed, null, AuditOutcome.Succeeded);
            }

            return new AgentSignInResult(SignInOutcome.Succeeded);
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(logger, user.Id);
            await AuditAsync(user, AuditActions.LockedOut, "two_factor");
            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        // Identity counts a wrong authenticator code as a failed attempt; a wrong recovery code it does not, so here.
        if (recovery)
        {
            await signIn.UserManager.AccessFailedAsync(user);
        }

        LogSecondFactorFailed(logger, user.Id);
        await AuditAsync(user, AuditActions.TwoFactorFailed, recovery ? "recovery_code" : "authenticator");
        if (await signIn.UserManager.IsLockedOutAsync(user))
        {
            // This failure was the last one allowed.
            LogLockedOut(logger, user.Id);
            await AuditAsync(user, AuditActions.LockedOut, "two_factor");
            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        return new AgentSignInResult(SignInOutcome.Failed);
    }

    private async Task<AgentSignInResult> PasswordResultAsync(AgentUser user, Microsoft.AspNetCore.Identity.SignInResult result)
    {
        if (result.Succeeded)
        {
            return new AgentSignInResult(SignInOutcome.Succeeded); // audited with the session it starts
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(logger, user.Id);
            await AuditAsync(user, AuditActions.LockedOut, "password");
            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        LogFailed(logger, user.Id, await signIn.UserManager.GetAccessFailedCountAsync(user));
        await AuditAsync(user, AuditActions.SignInFailed, "wrong_password");
        return new AgentSignInResult(SignInOutcome.Failed);
    }

    /// <summary>
    /// The built-in admin role keeps password sign-in under enforced SSO, so a workspace whose provider is down
    /// or misconfigured can still be reached and fixed. A custom role replaces the built-in one's permissions,
    /// so it does not count.
    /// </summary>
    private static bool IsBreakGlassAdmin(AgentUser user) => user.Role == AgentRole.Admin && user.CustomRoleId is null;

    private async Task<AgentSignInResult> RefuseForSsoAsync(AgentUser user, string password)
    {
        // Same work and lockout as a real attempt; nothing is signed in either way.
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            LogLockedOut(logger, user.Id);
            await AuditAsync(user, AuditActions.LockedOut, "password");
            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        if (!check.Succeeded)
        {
            LogFailed(logger, user.Id, await signIn.UserManager.GetAccessFailedCountAsync(user));
            await AuditAsync(user, AuditActions.SignInFailed, "wrong_password");
            return new AgentSignInResult(SignInOutcome.Failed);
        }

        LogSsoRequired(logger, user.Id);
        await audit.WriteAsync(new AuditRecord(AuditActions.SignInFailed, "agent", user.Id.ToString(), "reason=sso_enforced")
        {
            TenantId = user.TenantId, ActorId = user.Id, ActorName = user.DisplayName, Outcome = AuditOutcome.Denied,
        }, CancellationToken.None);
        return new AgentSignInResult(SignInOutcome.SsoRequired, SsoWorkspace: user.TenantId);
    }

    private Task AuditAsync(AgentUser? user, string action, string? detail, AuditOutcome outcome = AuditOutcome.Failed) =>
        audit.WriteAsync(new AuditRecord(action, user is null ? null : "agent", user?.Id.ToString(), detail)
        {
            TenantId = user?.TenantId,
            ActorId = user?.Id,
            Outcome = outcome,
        }, CancellationToken.None);

    private void VerifyAgainstDummy(string password)
    {
        var hash = s_dummyHash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _ = hasher.VerifyHashedPassword(Nobody, hash, password);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: wrong password ({FailedCount} in a row)")]
    private static partial void LogFailed(ILogger logger, Guid userId, int failedCount);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Sign-in failed: no account has the e-mail given")]
    private static partial void LogUnknownAccount(ILogger logger);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "User {UserId} locked out after repeated sign-in failures")]
    private static partial void LogLockedOut(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Sign-in refused for user {UserId}: the account is locked out or deactivated")]
    private static partial void LogAttemptWhileLocked(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "Sign-in throttled: too many attempts from one client or for one account; retry after {RetryAfterSeconds} s")]
    private static partial void LogThrottled(ILogger logger, int retryAfterSeconds);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "Password sign-in refused for user {UserId}: the workspace enforces single sign-on")]
    private static partial void LogSsoRequired(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: wrong second-factor code")]
    private static partial void LogSecondFactorFailed(ILogger logger, Guid userId);
}
