using System.Text.RegularExpressions;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// An Official Account inbox's credentials (<c>POST /api/v1/inboxes/wechat</c>, <c>PUT /api/v1/inboxes/{id}/wechat</c>),
/// as the WeChat admin console shows them under Settings and Development → Basic configuration.
/// </summary>
/// <param name="Name">The inbox's name (creation only; 1–100 characters).</param>
/// <param name="AppId">The AppID: <c>wx</c> and 16 hexadecimal characters.</param>
/// <param name="AppSecret">The AppSecret, 32 hexadecimal characters. On update, null keeps the stored one.</param>
/// <param name="Token">The server configuration's Token, 3–32 letters and digits. On update, null keeps the stored one.</param>
/// <param name="EncodingAesKey">
/// The EncodingAESKey (43 letters and digits) for safe mode; null leaves plaintext mode (creation) or keeps the stored
/// key (update); an empty string removes it.
/// </param>
public sealed record WeChatSettingsRequest(string? Name = null, string? AppId = null, string? AppSecret = null, string? Token = null, string? EncodingAesKey = null);

/// <summary>An Official Account inbox's settings as admins see them: never a secret, only whether one is stored.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="Name">Its name.</param>
/// <param name="AppId">The AppID.</param>
/// <param name="CallbackUrl">The server URL to paste into WeChat's server configuration.</param>
/// <param name="HasSecret">An AppSecret is stored.</param>
/// <param name="HasToken">A Token is stored.</param>
/// <param name="SafeMode">An EncodingAESKey is stored: callbacks must arrive encrypted.</param>
public sealed record WeChatInboxDto(Guid InboxId, string Name, string AppId, string CallbackUrl, bool HasSecret, bool HasToken, bool SafeMode);

/// <summary>The outcome of asking WeChat's token endpoint with the stored AppID and AppSecret.</summary>
/// <param name="Ok">WeChat issued a token.</param>
/// <param name="ErrorCode">WeChat's error code otherwise (40013 AppID, 40125 AppSecret, 40164 server IP not whitelisted …); null when it could not be reached.</param>
public sealed record WeChatCheckResult(bool Ok, int? ErrorCode);

/// <summary>Expected failures of the WeChat channel.</summary>
public static class WeChatErrors
{
    /// <summary>A callback failed a check (signature, timestamp window, encryption, AppID); nothing was stored.</summary>
    public static readonly KefuError CallbackRefused = new("forbidden", "The callback could not be verified.");

    /// <summary>The inbox is not an Official Account inbox.</summary>
    public static readonly KefuError NotWeChat = new("inbox_not_found", "Inbox not found.");
}

/// <summary>Checks of the credentials WeChat issues; each error names its field.</summary>
internal static partial class WeChatRules
{
    public static (WeChatSettings? Value, KefuError? Error) Settings(WeChatSettingsRequest request, WeChatSettings? current)
    {
        var appId = request.AppId?.Trim() ?? "";
        var secret = request.AppSecret?.Trim() ?? current?.Secret;
        var token = request.Token?.Trim() ?? current?.Token;
        var key = request.EncodingAesKey is null ? current?.EncodingAesKey : request.EncodingAesKey.Trim() is { Length: > 0 } k ? k : null;
        if (!AppIdPattern().IsMatch(appId))
        {
            return (null, InboxErrors.Invalid("appId", "The AppID is wx followed by 16 hexadecimal characters."));
        }

        if (secret is null || !SecretPattern().IsMatch(secret))
        {
            return (null, InboxErrors.Invalid("appSecret", "The AppSecret has 32 hexadecimal characters."));
        }

        if (token is null || !TokenPattern().IsMatch(token))
        {
            return (null, InboxErrors.Invalid("token", "The Token has 3 to 32 letters and digits."));
        }

        return key is not null && !WeChatCrypto.IsValidKey(key)
            ? (null, InboxErrors.Invalid("encodingAesKey", "The EncodingAESKey has 43 letters and digits."))
            : (new WeChatSettings(appId, secret, token, key), null);
    }

    public static WeChatInboxDto Dto(Inbox inbox, WeChatSettings? settings, string baseUrl) => new(
        inbox.Id, inbox.Name, settings?.AppId ?? "", baseUrl.TrimEnd('/') + ReceiveWeChatCallback.PathFor(inbox.Id),
        settings?.Secret is not null, settings?.Token is not null, settings?.SafeMode == true);

    [GeneratedRegex("^wx[0-9a-f]{16}$")]
    private static partial Regex AppIdPattern();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("^[A-Za-z0-9]{3,32}$")]
    private static partial Regex TokenPattern();
}
