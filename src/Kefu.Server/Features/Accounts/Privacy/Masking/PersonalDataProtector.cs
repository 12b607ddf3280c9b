using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>
/// Encrypts and decrypts masked originals with ASP.NET Data Protection (authenticated encryption, keys in
/// the node's key ring). The purpose chain names the workspace: a row copied into another workspace, or
/// a cipher of one workspace presented as another's, does not decrypt.
/// </summary>
internal sealed class PersonalDataProtector(IDataProtectionProvider provider)
{
    /// <summary>The purpose for originals; versioned so a future scheme can live beside this one.</summary>
    public const string Purpose = "Kefu.PersonalData.Masking.v1";

    private readonly ConcurrentDictionary<Guid, IDataProtector> _byTenant = new();

    public string Protect(Guid tenantId, string original) => For(tenantId).Protect(original);

    /// <summary>The original, or null when the cipher does not open (another workspace's, a lost key, tampering).</summary>
    public string? Unprotect(Guid tenantId, string cipher)
    {
        try
        {
            return For(tenantId).Unprotect(cipher);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector For(Guid tenantId) =>
        _byTenant.GetOrAdd(tenantId, id => provider.CreateProtector(Purpose, id.ToString("N")));
}
