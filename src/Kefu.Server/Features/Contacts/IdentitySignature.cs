using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kefu.Server.Features.Contacts;

/// <summary>
/// Checks the signature a host page's server put on a visitor's id (docs/sdk.md, ADR 0023): either the hex HMAC-SHA256
/// of the id keyed with the inbox's secret, or an HS256 JWT signed with the same secret whose <c>sub</c> is the id and
/// which has not expired. Every comparison of secret-derived bytes is constant-time.
/// </summary>
internal static class IdentitySignature
{
    /// <summary>Longest signature accepted: a JWT with a few claims fits; anything longer is refused unread.</summary>
    public const int MaxLength = 2048;

    /// <summary>The hex HMAC the host server computes: <c>HMAC-SHA256(key: secret as UTF-8, message: id as UTF-8)</c>, lowercase.</summary>
    public static string Compute(string secret, string id) => Convert.ToHexStringLower(Mac(secret, id));

    /// <summary>True when <paramref name="hash"/> is the hex HMAC of <paramref name="id"/> (either case).</summary>
    public static bool MatchesHash(string secret, string id, string hash)
    {
        Span<byte> given = stackalloc byte[32];
        // A wrong length or a non-hex character is a wrong hash; the check below never runs on half-decoded input.
        if (hash.Length != 64 || Convert.FromHexString(hash, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Mac(secret, id), given);
    }

    /// <summary>True when <paramref name="token"/> is an HS256 JWT signed with the secret, for <paramref name="id"/>, unexpired at <paramref name="now"/>.</summary>
    public static async Task<bool> MatchesTokenAsync(string secret, string id, string token, DateTimeOffset now)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
            // Only HS256: "none" and algorithm confusion (RS256 with the secret as a public key) are refused by the list.
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            // The lifetime is checked below against the injected clock, so tests can move it.
            ValidateLifetime = false,
            RequireExpirationTime = true,
        });
        return result.IsValid && result.SecurityToken is JsonWebToken jwt &&
               jwt.TryGetPayloadValue<string>("sub", out var subject) && string.Equals(subject, id, StringComparison.Ordinal) &&
               jwt.ValidTo != DateTime.MinValue && jwt.ValidTo > now.UtcDateTime.AddMinutes(-1);
    }

    /// <summary>A hash or a token: a JWT has dots, a hex hash never does.</summary>
    public static Task<bool> MatchesAsync(string secret, string id, string signature, DateTimeOffset now) =>
        signature.Contains('.', StringComparison.Ordinal) ? MatchesTokenAsync(secret, id, signature, now) : Task.FromResult(MatchesHash(secret, id, signature));

    private static byte[] Mac(string secret, string id) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(id));
}
