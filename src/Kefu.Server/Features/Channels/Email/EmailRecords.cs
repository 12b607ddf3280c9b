using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>Which way a mail went.</summary>
public enum EmailDirection
{
    /// <summary>From the customer into the inbox.</summary>
    Inbound,

    /// <summary>An agent's or the bot's reply.</summary>
    Reply,

    /// <summary>The inbox's automatic acknowledgement of a new conversation.</summary>
    AutoReply,
}

/// <summary>
/// One mail of an e-mail inbox, beside the conversation message it became or came from: the headers that thread it,
/// the sanitised HTML the console shows, and what happened to it (automatic, bounced, refused). Kept apart from
/// <c>Message</c> so the message path stays the same for every channel.
/// </summary>
internal sealed class EmailRecord
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }

    /// <summary>The conversation; null for an auto-reply sent before its conversation was known.</summary>
    public Guid? ConversationId { get; set; }

    /// <summary>
    /// The conversation message it became (inbound) or came from (reply); for a ticket's mail (<see cref="TicketId"/> set)
    /// the ticket's thread line instead. Null for auto-replies.
    /// </summary>
    public Guid? MessageId { get; set; }

    /// <summary>The ticket it opened, answered or came from, when the inbox makes tickets; null for a conversation's mail.</summary>
    public Guid? TicketId { get; set; }

    public EmailDirection Direction { get; set; }

    /// <summary>The <c>Message-ID</c> header without angle brackets.</summary>
    public required string HeaderMessageId { get; set; }

    /// <summary>The thread before it: up to <see cref="EmailThreading.MaxReferences"/> ids, space-separated.</summary>
    public string References { get; set; } = "";

    /// <summary>The customer's address (sender of inbound mail, recipient of replies), lower case.</summary>
    public required string Address { get; set; }

    /// <summary>The subject, on one line.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Inbound: the HTML body after the allowlist sanitiser; null for plain-text mail.</summary>
    public string? Html { get; set; }

    /// <summary>Inbound: sent by a machine (Auto-Submitted, Precedence bulk/junk/list, mailer-daemon): never auto-answered.</summary>
    public bool Automatic { get; set; }

    /// <summary>Inbound: its reply token was valid and the sender owns the conversation it names.</summary>
    public bool ThreadVerified { get; set; }

    /// <summary>Outbound: when a delivery status notification said it could not be delivered.</summary>
    public DateTime? BouncedAt { get; set; }

    /// <summary>Outbound: the DSN status code (<c>5.1.1</c>) of the bounce.</summary>
    public string? BounceStatus { get; set; }

    /// <summary>Outbound: why it was not sent (<c>unsafe_header</c>, <c>no_thread</c>, <c>send_failed</c>); null when sent or waiting.</summary>
    public string? Refused { get; set; }

    /// <summary>Reply: waiting for <see cref="SendReplies"/> (enqueued on the durable lane, sent off it).</summary>
    public bool Pending { get; set; }

    /// <summary>Reply: failed sending tries so far.</summary>
    public int Tries { get; set; }

    /// <summary>Reply: not before this time (UTC), after a failed try.</summary>
    public DateTime? NextTryAt { get; set; }

    /// <summary>Reply: when the SMTP server accepted it.</summary>
    public DateTime? SentAt { get; set; }

    public DateTime CreatedAt { get; set; }
}

internal sealed class EmailRecordConfiguration : IEntityTypeConfiguration<EmailRecord>
{
    public void Configure(EntityTypeBuilder<EmailRecord> builder)
    {
        builder.ToTable("EmailRecords");
        builder.Property(r => r.Direction).HasConversion<string>().HasMaxLength(12);
        builder.Property(r => r.HeaderMessageId).HasMaxLength(EmailThreading.MaxIdLength);
        builder.Property(r => r.References).HasMaxLength(EmailThreading.MaxReferencesLength);
        builder.Property(r => r.Address).HasMaxLength(320);
        builder.Property(r => r.Subject).HasMaxLength(EmailThreading.MaxSubjectLength);
        builder.Property(r => r.BounceStatus).HasMaxLength(20);
        builder.Property(r => r.Refused).HasMaxLength(40);
        // A message is recorded once: the outbox may deliver a reply twice, and a mail may be fetched twice.
        builder.HasIndex(r => r.MessageId).IsUnique();
        builder.HasIndex(r => new { r.InboxId, r.HeaderMessageId }); // bounces find the reply they are about
        builder.HasIndex(r => new { r.ConversationId, r.CreatedAt }); // the thread a reply continues
        builder.HasIndex(r => new { r.TicketId, r.CreatedAt }); // the same for a ticket's mail
        builder.HasIndex(r => new { r.InboxId, r.Address, r.Direction, r.CreatedAt }); // auto-replies per address per hour
        builder.HasIndex(r => r.Pending); // the sender's poll: a handful of rows, never a scan
    }
}

/// <summary>Where a watcher has read a mailbox to: IMAP UIDs only grow within one UIDVALIDITY.</summary>
internal sealed class EmailCursor
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }
    public long UidValidity { get; set; }
    public long LastUid { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class EmailCursorConfiguration : IEntityTypeConfiguration<EmailCursor>
{
    public void Configure(EntityTypeBuilder<EmailCursor> builder)
    {
        builder.ToTable("EmailCursors");
        builder.HasKey(c => c.InboxId);
    }
}

/// <summary>A mail that failed: retried until <see cref="EmailOptions.TriesBeforeQuarantine"/>, then set aside.</summary>
internal sealed class EmailQuarantine
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public long UidValidity { get; set; }
    public long Uid { get; set; }
    public int Tries { get; set; }

    /// <summary>A code (<c>too_many_parts</c>, <c>too_deep</c>, <c>too_large</c>, <c>failed</c>), never the mail's content.</summary>
    public required string Reason { get; set; }

    public DateTime LastTriedAt { get; set; }

    /// <summary>When it was set aside for good; null while it is still retried.</summary>
    public DateTime? QuarantinedAt { get; set; }
}

internal sealed class EmailQuarantineConfiguration : IEntityTypeConfiguration<EmailQuarantine>
{
    public void Configure(EntityTypeBuilder<EmailQuarantine> builder)
    {
        builder.ToTable("EmailQuarantine");
        builder.Property(q => q.Reason).HasMaxLength(40);
        builder.HasIndex(q => new { q.InboxId, q.UidValidity, q.Uid }).IsUnique();
    }
}
