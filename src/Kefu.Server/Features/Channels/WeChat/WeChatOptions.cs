using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>WeChat channel settings, section <c>Kefu:WeChat</c>. Per-account credentials live on each inbox, not here.</summary>
public sealed class WeChatOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:WeChat";

    /// <summary>
    /// The largest callback body accepted, in bytes. WeChat's messages are a few hundred bytes (an event, a text of at
    /// most 2,048 characters); anything far larger is not from WeChat.
    /// </summary>
    public const int MaxCallbackBytes = 64 * 1024;

    /// <summary>
    /// The Official Account API's base address. Production keeps the default; tests point it at a local double of the
    /// documented endpoints.
    /// </summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>
    /// How far a callback's timestamp may be from this server's clock. WeChat retries a callback three times within
    /// about 15 seconds, so five minutes lets every genuine retry through and refuses a replay captured earlier.
    /// </summary>
    [TimeSpanRange("00:00:30", "01:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a node may hold the refresh lease of an access token before another node may take it over.</summary>
    [TimeSpanRange("00:00:05", "00:05:00")]
    public TimeSpan TokenLease { get; set; } = TimeSpan.FromSeconds(30);
}
