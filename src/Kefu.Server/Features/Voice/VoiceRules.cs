using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Voice;

/// <summary>Limits of the speech settings and of what the endpoint may send back.</summary>
internal static class VoiceRules
{
    public const int MaxEndpointLength = 500;
    public const int MaxModelLength = 200;
    public const int MaxApiKeyLength = 1000;
    public const int MinTimeoutSeconds = 1;
    public const int MaxTimeoutSeconds = 120;

    /// <summary>A transcript of two minutes of speech is a few KB; a larger answer is refused while it is read.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>An absolute http(s) address without credentials, query or fragment (a key goes in the key field, sealed).</summary>
    public static bool IsValidEndpoint(string? value) =>
        value is { Length: > 0 and <= MaxEndpointLength } &&
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
        string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Whether two endpoints are on the same server (scheme, host and port), where a stored key may keep going.</summary>
    public static bool SameServer(string stored, string changed) =>
        Uri.TryCreate(stored, UriKind.Absolute, out var a) && Uri.TryCreate(changed, UriKind.Absolute, out var b)
        && string.Equals(a.GetLeftPart(UriPartial.Authority), b.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
}

/// <summary>The expected failures of the speech settings.</summary>
internal static class VoiceErrors
{
    public static readonly KefuError InvalidEndpoint = new("invalid_speech_endpoint",
        "endpoint must be an absolute http or https address without credentials, query or fragment (at most 500 characters).") { Field = "endpoint" };

    public static readonly KefuError InvalidModel = new("invalid_speech_model", "model must be 1 to 200 characters.") { Field = "model" };

    public static readonly KefuError InvalidApiKey = new("invalid_speech_api_key", "apiKey must be at most 1000 characters without control characters.") { Field = "apiKey" };

    public static readonly KefuError InvalidTimeout = new("invalid_speech_timeout", "timeoutSeconds must be 1 to 120.") { Field = "timeoutSeconds" };

    public static readonly KefuError ApiKeyRequired = new("speech_api_key_required",
        "The endpoint moved to another server: type the API key again (the stored one is not sent to a new server).") { Field = "apiKey" };
}
