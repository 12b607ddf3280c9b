using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Webhooks;

/// <summary>
/// Signing secrets: generated here, shown to the admin once, kept encrypted with Data Protection (the HMAC needs them in
/// clear, so a hash would not do), and the signature every delivery carries.
/// </summary>
internal sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    public const string Purpose = "Kefu.WebhookSecret.v1";
    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes, base64url.</summary>
    public static string New() => "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>
    /// The <c>Kefu-Signature</c> value: <c>v1=</c> and the lowercase hex HMAC-SHA256, keyed with the secret's UTF-8
    /// bytes, of <c>{timestamp}.{body}</c> (Unix seconds, a dot, the exact body). docs/webhooks.md shows the check.
    /// </summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + body);
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
