using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>The expected failures of sign-in, sessions, two-factor and password reset.</summary>
internal static class SignInErrors
{
    /// <summary>The console is written in English and Simplified Chinese only.</summary>
    public static readonly KefuError UnsupportedLanguage = new("unsupported_language", "language must be en or zh-CN.") { Field = "language" };

    public static readonly KefuError SessionNotFound = new("session_not_found", "No such session of yours is open.");

    public static readonly KefuError AgentNotFound = new("agent_not_found", "No such agent in this workspace.");

    /// <summary>The password was right; the account has two-factor sign-in: send <c>twoFactorCode</c> or <c>recoveryCode</c>.</summary>
    public static readonly KefuError TwoFactorRequired = new("two_factor_required",
        "This account signs in with a second factor: send twoFactorCode (from the authenticator app) or recoveryCode.");

    /// <summary>The workspace requires two-factor sign-in and this user has not enrolled yet.</summary>
    public static readonly KefuError EnrolmentRequired = new("two_factor_enrolment_required",
        "This workspace requires two-factor sign-in: enrol at /api/v1/account/two-factor (or in the console) first.");

    public static readonly KefuError CodeInvalid = new("two_factor_code_invalid", "The code is wrong or has expired.");

    public static readonly KefuError AlreadyEnabled = new("two_factor_already_enabled", "Two-factor sign-in is already on; turn it off first to change the key.");

    public static readonly KefuError NotEnabled = new("two_factor_not_enabled", "Two-factor sign-in is not on.");

    public static readonly KefuError NoKey = new("two_factor_not_started", "Start enrolment first: POST /api/v1/account/two-factor/authenticator.");

    public static readonly KefuError RequiredByWorkspace = new("two_factor_required_by_workspace", "This workspace requires two-factor sign-in; it cannot be turned off.");

    public static readonly KefuError PasswordWrong = new("password_wrong", "The password is wrong.");

    public static readonly KefuError ResetTokenInvalid = new("reset_token_invalid", "The reset link is wrong, used or expired; ask for a new one.");

    public static KefuError Throttled(TimeSpan wait) => new(KefuError.RateLimitedCode, "Too many attempts; try again later.", RetryAfter.Seconds(wait));
}
