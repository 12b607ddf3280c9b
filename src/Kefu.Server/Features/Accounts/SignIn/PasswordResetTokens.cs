using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// Password reset tokens: Identity's data-protection token shape (time, user, purpose, security stamp, encrypted
/// and signed), valid for <see cref="Lifetime"/> on the injected clock. Binding the stamp makes a token single-use:
/// a reset renews the stamp, so the same link (and every other one outstanding) fails afterwards; so does any
/// password change or "end all sessions" in between. Identity's own provider reads the wall clock, which tests
/// cannot move.
/// </summary>
internal sealed class PasswordResetTokens(IDataProtectionProvider protection, TimeProvider time) : IUserTwoFactorTokenProvider<AgentUser>
{
    /// <summary>The provider's name in Identity's token options.</summary>
    public const string ProviderName = "KefuPasswordReset";

    /// <summary>How long a reset link works.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>The purpose of an invitation link: the same token shape, but a new colleague may open the mail days later.</summary>
    public const string InvitationPurpose = "Kefu.Invitation";

    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    private readonly IDataProtector _protector = protection.CreateProtector("Kefu.Accounts.PasswordReset.v1");

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AgentUser> manager, AgentUser user) => Task.FromResult(false);

    public async Task<string> GenerateAsync(string purpose, UserManager<AgentUser> manager, AgentUser user)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(time.GetUtcNow().UtcTicks);
            writer.Write(user.Id.ToString());
            writer.Write(purpose);
            writer.Write(await manager.GetSecurityStampAsync(user));
        }

        return WebEncoders.Base64UrlEncode(_protector.Protect(buffer.ToArray()));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AgentUser> manager, AgentUser user)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))), Encoding.UTF8);
            var created = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var userId = reader.ReadString();
            var tokenPurpose = reader.ReadString();
            var stamp = reader.ReadString();
            var current = await manager.GetSecurityStampAsync(user);
            var lifetime = tokenPurpose == InvitationPurpose ? InvitationLifetime : Lifetime;
            return time.GetUtcNow() < created + lifetime && created <= time.GetUtcNow() + TimeSpan.FromMinutes(5) &&
                   userId == user.Id.ToString() && tokenPurpose == purpose &&
                   CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(stamp), Encoding.UTF8.GetBytes(current));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or EndOfStreamException or IOException)
        {
            return false; // tampered, truncated, or protected with a key this server does not hold
        }
    }
}
