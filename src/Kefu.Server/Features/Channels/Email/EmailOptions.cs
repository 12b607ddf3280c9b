using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>The e-mail channel's limits and pace, section <c>Kefu:Email</c>.</summary>
public sealed class EmailOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Email";

    /// <summary>
    /// Seconds between two checks of a mailbox whose server has no IDLE, and the longest an IDLE waits before it is
    /// renewed (servers drop idle clients after 30 minutes; mature clients renew well before).
    /// </summary>
    [Range(1, 1800)]
    public int PollSeconds { get; set; } = 60;

    /// <summary>Seconds between two looks at which e-mail inboxes exist, to start or stop their watchers.</summary>
    [Range(1, 600)]
    public int ReconcileSeconds { get; set; } = 30;

    /// <summary>A mail larger than this (bytes, as the server reports it) is quarantined without being downloaded.</summary>
    [Range(1024, 200_000_000)]
    public int MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>A mail with more MIME parts than this is quarantined: a parser bomb, not a customer's question.</summary>
    [Range(2, 100_000)]
    public int MaxParts { get; set; } = 500;

    /// <summary>A mail nested deeper than this (multiparts and attached messages) is quarantined.</summary>
    [Range(2, 1000)]
    public int MaxDepth { get; set; } = 20;

    /// <summary>Failed tries of one mail before it is quarantined; the mailbox goes on with the next ones meanwhile.</summary>
    [Range(1, 100)]
    public int TriesBeforeQuarantine { get; set; } = 3;

    /// <summary>Automatic acknowledgements sent to one address per hour at most: what stops a loop with an auto-responder that does not say it is one.</summary>
    [Range(0, 1000)]
    public int AutoRepliesPerAddressPerHour { get; set; } = 3;

    /// <summary>Days a reply token (in the reply address and the Message-ID of replies) stays valid.</summary>
    [Range(1, 3650)]
    public int ReplyTokenDays { get; set; } = 180;

    /// <summary>
    /// Attachments kept from one received mail; the ones after are dropped with a note in the message (each file also
    /// meets the uploads' own size and type checks, <c>Kefu:Conversations:MaxAttachmentBytes</c>).
    /// </summary>
    [Range(0, 20)]
    public int MaxAttachmentsPerMail { get; set; } = 10;

    /// <summary>Bytes of attachments kept from one received mail, all files together; a file that would pass it is dropped with a note.</summary>
    [Range(0, 200_000_000)]
    public long MaxAttachmentBytesPerMail { get; set; } = 25L * 1024 * 1024;

    /// <summary>Seconds a connection or one command to a mail server may take.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}
