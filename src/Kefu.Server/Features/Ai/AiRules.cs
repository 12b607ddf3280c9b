using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Ai;

/// <summary>What the call was for, in the cost log.</summary>
internal static class AiPurposes
{
    public const string Test = "test";
    public const string Answer = "answer";
}

/// <summary>How a call ended, in the cost log and the test button's answer.</summary>
internal static class AiOutcomes
{
    public const string Ok = "ok";
    public const string Disabled = "disabled";
    public const string OverBudget = "over_budget";
    public const string Timeout = "timeout";
    public const string TooLarge = "too_large";
    public const string Failed = "failed";

    /// <summary>The endpoint answered, but not with something usable (no text, no valid citation).</summary>
    public const string Invalid = "invalid";
}

/// <summary>Limits of the settings and of what the endpoint may send back.</summary>
internal static class AiRules
{
    public const int MaxEndpointLength = 500;
    public const int MaxModelLength = 200;
    public const int MaxApiKeyLength = 1000;
    public const int MinTimeoutSeconds = 1;
    public const int MaxTimeoutSeconds = 60;
    public const long MaxMonthlyTokenBudget = 10_000_000_000;

    /// <summary>A chat completion is a few KB; anything past this is refused while it is read (a 10 MB answer never reaches memory whole).</summary>
    public const int MaxResponseBytes = 256 * 1024;

    /// <summary>The most the model may write in one call.</summary>
    public const int MaxOutputTokens = 600;

    /// <summary>An absolute http(s) address without credentials in it (a key goes in the key field, sealed).</summary>
    public static bool IsValidEndpoint(string? value) =>
        value is { Length: > 0 and <= MaxEndpointLength } &&
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
        string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Whether two endpoints are on the same server (scheme, host and port), where a stored key may keep going.</summary>
    public static bool SameServer(string stored, string changed) =>
        Uri.TryCreate(stored, UriKind.Absolute, out var a) && Uri.TryCreate(changed, UriKind.Absolute, out var b)
        && string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The expected failures of the LLM settings and calls.</summary>
internal static class AiErrors
{
    public static readonly KefuError InvalidEndpoint = new("invalid_ai_endpoint",
        "endpoint must be an absolute http or https address without credentials, query or fragment (at most 500 characters).") { Field = "endpoint" };

    public static readonly KefuError InvalidModel = new("invalid_ai_model", "model must be 1 to 200 characters.") { Field = "model" };
    public static readonly KefuError InvalidApiKey = new("invalid_ai_api_key", "apiKey must be at most 1000 characters, without line breaks.") { Field = "apiKey" };
    public static readonly KefuError InvalidTimeout = new("invalid_ai_timeout", "timeoutSeconds must be between 1 and 60.") { Field = "timeoutSeconds" };
    public static readonly KefuError InvalidBudget = new("invalid_ai_budget", "monthlyTokenBudget must be between 1 and 10,000,000,000.") { Field = "monthlyTokenBudget" };
    public static readonly KefuError ApiKeyRequired = new("ai_api_key_required",
        "The endpoint is on another server than the stored API key was given for: send apiKey again (or an empty one to remove it).");
    public static readonly KefuError NotEnabled = new("ai_not_enabled", "The workspace has no LLM turned on.");
    public static readonly KefuError Unavailable = new("ai_unavailable", "The LLM did not give a usable answer in time.");
    public static readonly KefuError InvalidText = new("invalid_ai_text", "text must be 1 to 4000 characters.") { Field = "text" };
    public static readonly KefuError InvalidLanguage = new("invalid_ai_language", "language must be en or zh-CN.") { Field = "language" };
    public static readonly KefuError ConversationNotFound = new("conversation_not_found", "No such conversation.");
}
