using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Contacts;

/// <summary>Creates inbox identity secrets and keeps them encrypted at rest.</summary>
internal sealed class IdentitySecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.Contacts.IdentitySecret.v1");

    /// <summary>256 random bits as 64 lowercase hex characters: easy to paste into a host server's configuration.</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret; null when the stored form cannot be read (keys lost): verification then fails closed.</summary>
    public string? Reveal(string cipher)
    {
        try
        {
            return _protector.Unprotect(cipher);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
