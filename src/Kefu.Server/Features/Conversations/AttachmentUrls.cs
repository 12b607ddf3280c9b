using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Conversations;

/// <summary>How a download link was judged.</summary>
internal enum AttachmentLinkCheck
{
    /// <summary>Signed by us for this attachment and not expired.</summary>
    Valid,

    /// <summary>Signed by us for this attachment, but its time is up: 410, the client fetches a fresh one.</summary>
    Expired,

    /// <summary>Not ours, or for another attachment: 404, as for an attachment that does not exist.</summary>
    Invalid,
}

/// <summary>
/// Signed download addresses that expire. Images must load in plain <c>&lt;img&gt;</c> tags that carry no token,
/// so the address itself is the capability; it carries its expiry inside the signed part, so a copied link
/// (a screenshot, a forwarded e-mail, a proxy log) stops working after
/// <see cref="ConversationsOptions.AttachmentLinkLifetime"/>. Clients get fresh links each time they load a
/// conversation's messages. A tampered or invented link answers 404, an expired one 410.
/// </summary>
internal sealed class AttachmentUrls(IDataProtectionProvider protection, TimeProvider time, IOptions<ConversationsOptions> options)
{
    // v2: the payload gained the expiry; v1 links (no expiry) no longer verify.
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.AttachmentUrl.v2");

    public string UrlFor(Attachment attachment)
    {
        var expires = time.GetUtcNow().Add(options.Value.AttachmentLinkLifetime).ToUnixTimeSeconds();
        var token = _protector.Protect($"{attachment.Id:N}.{expires.ToString(CultureInfo.InvariantCulture)}");
        return $"/api/v1/attachments/{attachment.Id}/{Uri.EscapeDataString(attachment.FileName)}?t={token}";
    }

    /// <summary>Checks the token of a link to <paramref name="id"/>; <paramref name="remaining"/> is its time left when valid.</summary>
    public AttachmentLinkCheck Verify(Guid id, string? token, out TimeSpan remaining)
    {
        remaining = TimeSpan.Zero;
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return AttachmentLinkCheck.Invalid;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return AttachmentLinkCheck.Invalid;
        }

        var parts = payload.Split('.');
        if (parts.Length != 2 || parts[0] != id.ToString("N") ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return AttachmentLinkCheck.Invalid;
        }

        remaining = DateTimeOffset.FromUnixTimeSeconds(expires) - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? AttachmentLinkCheck.Valid : AttachmentLinkCheck.Expired;
    }
}
