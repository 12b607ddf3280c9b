using System.Net;
using Kefu.Server.Features.Accounts.Contracts;
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
}

/// <summary>The outcome, and for <see cref="SignInOutcome.Throttled"/> how long to wait.</summary>
internal sealed record AgentSignInResult(SignInOutcome Outcome, TimeSpan RetryAfter = default);

/// <summary>
/// Password sign-in for the console form and the token endpoint alike: rate limited per client IP
/// and per account before the password is checked, with failures and lockouts logged by user id
/// (never the e-mail that was typed).
/// </summary>
internal sealed partial class AgentSignIn(SignInManager<AgentUser> signIn, SignInRateLimit limits, ILogger<AgentSignIn> logger)
{
    /// <param name="scheme">Where a success is written: the Identity cookie, or the bearer token response.</param>
    public async Task<AgentSignInResult> PasswordAsync(string email, string password, IPAddress? client, bool persistent, string scheme)
    {
        if (limits.TryAcquire(client, email) is { } wait)
        {
            LogThrottled(logger, RetryAfter.Seconds(wait));
            return new AgentSignInResult(SignInOutcome.Throttled, wait);
        }

        var user = await signIn.UserManager.FindByNameAsync(email.Trim());
        if (user is null)
        {
            LogUnknownAccount(logger);
            return new AgentSignInResult(SignInOutcome.Failed);
        }

        var wasLocked = await signIn.UserManager.IsLockedOutAsync(user);
        signIn.AuthenticationScheme = scheme;
        var result = await signIn.PasswordSignInAsync(user, password, persistent, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return new AgentSignInResult(SignInOutcome.Succeeded);
        }

        if (result.IsLockedOut)
        {
            if (wasLocked)
            {
                LogAttemptWhileLocked(logger, user.Id);
            }
            else
            {
                LogLockedOut(logger, user.Id);
            }

            return new AgentSignInResult(SignInOutcome.LockedOut);
        }

        LogFailed(logger, user.Id, await signIn.UserManager.GetAccessFailedCountAsync(user));
        return new AgentSignInResult(SignInOutcome.Failed);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: wrong password ({FailedCount} in a row)")]
    private static partial void LogFailed(ILogger logger, Guid userId, int failedCount);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Sign-in failed: no account has the e-mail given")]
    private static partial void LogUnknownAccount(ILogger logger);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "User {UserId} locked out after repeated sign-in failures")]
    private static partial void LogLockedOut(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Sign-in refused for user {UserId}: the account is locked out")]
    private static partial void LogAttemptWhileLocked(ILogger logger, Guid userId);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "Sign-in throttled: too many attempts from one client or for one account; retry after {RetryAfterSeconds} s")]
    private static partial void LogThrottled(ILogger logger, int retryAfterSeconds);
}
