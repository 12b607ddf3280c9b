using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Signed download addresses. Images must load in plain <c>&lt;img&gt;</c> tags that carry no token,
/// so the address itself is the capability; a tampered or invented one answers 404.
/// </summary>
internal sealed class AttachmentUrls(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.AttachmentUrl.v1");

    public string UrlFor(Attachment attachment) =>
        $"/api/v1/attachments/{attachment.Id}/{Uri.EscapeDataString(attachment.FileName)}?t={_protector.Protect(attachment.Id.ToString("N"))}";

    public bool Verify(Guid id, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return false;
        }

        try
        {
            return _protector.Unprotect(token) == id.ToString("N");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
