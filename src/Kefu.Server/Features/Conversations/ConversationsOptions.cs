using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Conversations;

/// <summary>Conversation behaviour, section <c>Kefu:Conversations</c>.</summary>
public sealed class ConversationsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Conversations";

    /// <summary>
    /// A visitor message reopens a resolved conversation if it was resolved less than this long
    /// ago; later it starts a new conversation, so the console shows the older one as past.
    /// </summary>
    [TimeSpanRange("00:00:00", "3650.00:00:00")]
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Largest upload, bytes.</summary>
    [Range(1, 100 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Longest voice message, seconds: the recorders stop there and the server refuses a longer declared length.</summary>
    [Range(5, 600)]
    public int MaxVoiceSeconds { get; set; } = 120;

    /// <summary>
    /// Slowest average rate, bytes per second, at which an upload's body must arrive (after a 5-second
    /// grace). Below it the upload ends with 408. Kestrel's own minimum (240 B/s) lets a client that
    /// announces more than it sends, then stops, hold the request open for hours.
    /// </summary>
    [Range(240, 100 * 1024 * 1024)]
    public int UploadMinBytesPerSecond { get; set; } = 10 * 1024;

    /// <summary>
    /// How long an attachment's download link works. Links are signed with their expiry and handed out afresh
    /// whenever a client loads a conversation's messages; an expired one answers 410.
    /// </summary>
    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan AttachmentLinkLifetime { get; set; } = TimeSpan.FromHours(1);
}
