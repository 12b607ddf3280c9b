namespace Kefu.Server.Features.ApiKeys.Contracts;

/// <summary>
/// What an API key looks like on the wire and which authentication scheme reads it. Shared with the host's scheme
/// selector, which sends <c>Authorization: Bearer kefu_…</c> here and every other bearer token to the session tokens.
/// </summary>
public static class ApiKeyFormat
{
    /// <summary>The authentication scheme of API keys.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>Every key starts with this, so it is recognisable in a leaked file and by secret scanners.</summary>
    public const string Prefix = "kefu_";

    /// <summary>Claim carrying the key's id on an API key's principal.</summary>
    public const string KeyIdClaim = "kefu:api_key";

    /// <summary>True when the <c>Authorization</c> header carries an API key (and nothing else may read it).</summary>
    public static bool IsApiKeyHeader(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer " + Prefix, StringComparison.Ordinal);
}
