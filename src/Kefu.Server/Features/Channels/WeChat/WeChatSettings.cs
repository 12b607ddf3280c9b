using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>
/// An Official Account inbox's credentials as stored in <c>Inbox.ChannelSettings</c>: the AppID in clear (it is
/// public: it appears in every link to the account), the AppSecret, Token and EncodingAESKey protected with Data
/// Protection. The console and the API never show the protected values back.
/// </summary>
internal sealed record WeChatSettings(string AppId, string? Secret, string? Token, string? EncodingAesKey)
{
    /// <summary>Safe mode: callbacks must arrive encrypted (a plaintext one would be a downgrade).</summary>
    public bool SafeMode => EncodingAesKey is not null;
}

/// <summary>Reads and writes <see cref="WeChatSettings"/> in an inbox's settings column.</summary>
internal sealed class WeChatSettingsStore(IDataProtectionProvider protection)
{
    private const string Purpose = "Kefu.Channels.WeChat.v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDataProtector _protector = protection.CreateProtector(Purpose);

    /// <summary>The inbox's credentials, or null when the column is empty or unreadable (a key ring lost, a damaged row).</summary>
    public WeChatSettings? Read(string? column)
    {
        if (string.IsNullOrEmpty(column))
        {
            return null;
        }

        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(column, Json);
            return stored?.AppId is { Length: > 0 } appId
                ? new WeChatSettings(appId, Open(stored.Secret), Open(stored.Token), Open(stored.AesKey))
                : null;
        }
        catch (Exception ex) when (ex is JsonException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The column's text; every secret is encrypted before it is written.</summary>
    public string Write(WeChatSettings settings) => JsonSerializer.Serialize(
        new Stored(settings.AppId, Seal(settings.Secret), Seal(settings.Token), Seal(settings.EncodingAesKey)), Json);

    private string? Seal(string? value) => value is null ? null : _protector.Protect(value);

    private string? Open(string? value) => value is null ? null : _protector.Unprotect(value);

    private sealed record Stored(string? AppId, string? Secret, string? Token, string? AesKey);
}
