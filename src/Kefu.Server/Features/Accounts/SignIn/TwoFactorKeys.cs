using System.Text.Encodings.Web;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// The authenticator key and codes of a user. Identity's own <c>ResetAuthenticatorKeyAsync</c> and
/// <c>SetTwoFactorEnabledAsync</c> renew the security stamp, which would end the very session that is enrolling
/// (and the console circuit showing the recovery codes); here the key and the flag change without it, and the
/// callers end the user's other sessions explicitly.
/// </summary>
internal sealed class TwoFactorKeys(UserManager<AgentUser> users, IUserStore<AgentUser> store)
{
    /// <summary>How many recovery codes a user gets.</summary>
    public const int RecoveryCodeCount = 10;

    private const string Issuer = "Kefu";

    public UserManager<AgentUser> Users => users;

    /// <summary>A new authenticator key (replacing any earlier, unconfirmed one).</summary>
    public async Task<string> NewKeyAsync(AgentUser user)
    {
        await ((IUserAuthenticatorKeyStore<AgentUser>)store).SetAuthenticatorKeyAsync(user, users.GenerateNewAuthenticatorKey(), CancellationToken.None);
        Check(await users.UpdateAsync(user));
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    public async Task SetEnabledAsync(AgentUser user, bool enabled)
    {
        await ((IUserTwoFactorStore<AgentUser>)store).SetTwoFactorEnabledAsync(user, enabled, CancellationToken.None);
        if (!enabled)
        {
            await ((IUserAuthenticatorKeyStore<AgentUser>)store).SetAuthenticatorKeyAsync(user, null!, CancellationToken.None);
            await ((IUserTwoFactorRecoveryCodeStore<AgentUser>)store).ReplaceCodesAsync(user, [], CancellationToken.None);
        }

        Check(await users.UpdateAsync(user));
    }

    /// <summary>True when <paramref name="code"/> is the authenticator's current code (spaces and dashes ignored).</summary>
    public async Task<bool> VerifyCodeAsync(AgentUser user, string? code) =>
        Normalize(code) is { Length: > 0 } normalized &&
        await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, normalized);

    /// <summary>An authenticator code as typed ("123 456", "123-456") without its separators.</summary>
    public static string Normalize(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();

    /// <summary>A recovery code as typed, without spaces (its dash belongs to it).</summary>
    public static string NormalizeRecovery(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Trim();

    /// <summary>The <c>otpauth://</c> address an authenticator app reads from the QR code.</summary>
    public static string AuthenticatorUri(string email, string key) =>
        $"otpauth://totp/{UrlEncoder.Default.Encode(Issuer)}:{UrlEncoder.Default.Encode(email)}?secret={key}&issuer={UrlEncoder.Default.Encode(Issuer)}&digits=6";

    /// <summary>The QR code as a PNG <c>data:</c> URI: an image, so the console needs no script to show it.</summary>
    public static string QrCodeDataUri(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    /// <summary>Groups of four for reading: "ABCD EFGH ...".</summary>
    public static string FormatKey(string key) =>
        string.Join(' ', key.Chunk(4).Select(c => new string(c))).ToLowerInvariant();

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The two-factor settings could not be saved: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }
    }
}
