using System.Globalization;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>
/// Issues and reads visitor tokens: the identity and an expiry, encrypted and authenticated by
/// ASP.NET Core Data Protection. A forged, altered or expired token reads as null.
/// </summary>
internal sealed class VisitorTokens(IDataProtectionProvider protection, TimeProvider time, IOptions<WidgetOptions> options)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.VisitorToken.v1");

    public (string Token, DateTime ExpiresAt) Issue(VisitorIdentity visitor)
    {
        var expires = time.GetUtcNow().UtcDateTime + options.Value.VisitorTokenLifetime;
        var payload = string.Join('|', "v1", visitor.TenantId.ToString("N"), visitor.InboxId.ToString("N"),
            visitor.ContactId.ToString("N"), new DateTimeOffset(expires).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return (_protector.Protect(payload), expires);
    }

    public VisitorIdentity? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024)
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        return parts.Length == 5 && parts[0] == "v1" &&
               Guid.TryParse(parts[1], out var tenant) && Guid.TryParse(parts[2], out var inbox) && Guid.TryParse(parts[3], out var contact) &&
               long.TryParse(parts[4], CultureInfo.InvariantCulture, out var expires) &&
               expires > time.GetUtcNow().ToUnixTimeSeconds()
            ? new VisitorIdentity(tenant, inbox, contact)
            : null;
    }
}
