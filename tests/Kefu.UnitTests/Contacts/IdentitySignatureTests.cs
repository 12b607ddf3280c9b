using System.Security.Claims;
using System.Text;
using Kefu.Server.Features.Contacts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kefu.UnitTests.Contacts;

/// <summary>The signature on a <c>Kefu.identify</c> id: the hex HMAC a host server computes, or an HS256 JWT (docs/sdk.md).</summary>
public sealed class IdentitySignatureTests
{
    private const string Secret = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_IsTheHexHmacSha256OfTheId_KeyedWithTheSecretAsUtf8()
    {
        // The value `printf '%s' 'customer-42' | openssl dgst -sha256 -hmac "$SECRET"` prints: what integrators compare with.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), "customer-42"u8.ToArray()));

        Assert.Equal(expected, IdentitySignature.Compute(Secret, "customer-42"));
        Assert.Equal(64, expected.Length);
    }

    [Fact]
    public void MatchesHash_AcceptsTheRightHash_InEitherCase()
    {
        var hash = IdentitySignature.Compute(Secret, "customer-42");

        Assert.True(IdentitySignature.MatchesHash(Secret, "customer-42", hash));
        Assert.True(IdentitySignature.MatchesHash(Secret, "customer-42", hash.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("customer-43")] // another customer's id with this customer's hash
    [InlineData("customer-42 ")] // not trimmed by the check: the server trims before
    public void MatchesHash_RefusesTheHashOfAnotherId(string id) =>
        Assert.False(IdentitySignature.MatchesHash(Secret, id, IdentitySignature.Compute(Secret, "customer-42")));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz" + "00000000000000000000000000000000000000000000000000000000000000")] // 64 characters, not hex
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // hex, 64, wrong
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")] // 65
    public void MatchesHash_RefusesMalformedOrWrongHashes(string hash) =>
        Assert.False(IdentitySignature.MatchesHash(Secret, "customer-42", hash));

    [Fact]
    public void MatchesHash_RefusesAHashMadeWithAnotherSecret() =>
        Assert.False(IdentitySignature.MatchesHash(Secret, "customer-42", IdentitySignature.Compute(Secret[1..] + "1", "customer-42")));

    [Fact]
    public async Task MatchesToken_AcceptsAnHs256JwtForTheId_SignedWithTheSecret_Unexpired()
    {
        var token = Jwt(Secret, "customer-42", Now.AddMinutes(10));

        Assert.True(await IdentitySignature.MatchesAsync(Secret, "customer-42", token, Now));
    }

    [Fact]
    public async Task MatchesToken_RefusesAnotherSubject_AnotherSecret_AnExpiredToken_AndNoExpiry()
    {
        Assert.False(await IdentitySignature.MatchesAsync(Secret, "customer-43", Jwt(Secret, "customer-42", Now.AddMinutes(10)), Now));
        Assert.False(await IdentitySignature.MatchesAsync(Secret, "customer-42", Jwt(Secret.Replace('0', '1'), "customer-42", Now.AddMinutes(10)), Now));
        Assert.False(await IdentitySignature.MatchesAsync(Secret, "customer-42", Jwt(Secret, "customer-42", Now.AddMinutes(-5)), Now));
        Assert.False(await IdentitySignature.MatchesAsync(Secret, "customer-42", Jwt(Secret, "customer-42", null), Now));
    }

    [Fact]
    public async Task MatchesToken_RefusesAnUnsignedAlgNoneToken()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = Now.AddMinutes(10).ToUnixTimeSeconds();
        var unsigned = Part("""{"alg":"none","typ":"JWT"}""") + "." + Part($$"""{"sub":"customer-42","exp":{{exp}}}""") + ".";

        Assert.False(await IdentitySignature.MatchesAsync(Secret, "customer-42", unsigned, Now));
    }

    private static string Jwt(string secret, string subject, DateTimeOffset? expires)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
            IssuedAt = (expires ?? Now).AddMinutes(-20).UtcDateTime,
            NotBefore = (expires ?? Now).AddMinutes(-20).UtcDateTime,
        };
        if (expires is { } at)
        {
            descriptor.Expires = at.UtcDateTime;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
