using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Collaboration.Contracts;

/// <summary>
/// A private note of an agent in a conversation. Kept in its own table, not in <c>Messages</c>: a note has no
/// <c>Seq</c>, so the visitor's history, resync and every channel's delivery (which all read messages by
/// <c>Seq</c>) cannot reach it, and the message hot path does not change. A contract so search may index notes for
/// agents.
/// </summary>
internal sealed class ConversationNote
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }

    /// <summary>The agent who wrote it; null once that account is deleted (the note stays).</summary>
    public Guid? AuthorId { get; set; }

    /// <summary>As written: shown as text, never as markup, and never evaluated.</summary>
    public required string Text { get; set; }

    /// <summary>Who the note mentions, resolved when it was written: <c>a:&lt;agent id&gt;</c> and <c>t:&lt;team id&gt;</c>, space-separated.</summary>
    public string Mentions { get; set; } = "";

    /// <summary>When it was written, UTC: where it sits among the messages.</summary>
    public DateTime CreatedAt { get; set; }
}

internal sealed class ConversationNoteConfiguration : IEntityTypeConfiguration<ConversationNote>
{
    public void Configure(EntityTypeBuilder<ConversationNote> builder)
    {
        builder.ToTable("ConversationNotes");
        builder.Property(n => n.Text).HasMaxLength(MessageRules.MaxTextLength);
        builder.Property(n => n.Mentions).HasMaxLength(2000);
        builder.HasIndex(n => new { n.ConversationId, n.CreatedAt });

        // A deleted conversation (retention, erasure) takes its notes with it.
        builder.HasOne<Conversation>().WithMany().HasForeignKey(n => n.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(n => n.AuthorId).OnDelete(DeleteBehavior.SetNull);
    }
}

/// <summary>
/// An agent following a conversation: told (a bell line) of visitors' messages, notes and status changes in it. Agents
/// follow by hand, and automatically when they are assigned it or mentioned in it.
/// </summary>
internal sealed class ConversationFollower
{
    public Guid ConversationId { get; set; }
    public Guid AgentId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>When they started following, UTC.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Following only because they were assigned it: ends when the conversation moves to someone else, so an agent
    /// who handed it on is not told of every later message. Following by hand (or by a mention) stays.
    /// </summary>
    public bool AsAssignee { get; set; }
}

internal sealed class ConversationFollowerConfiguration : IEntityTypeConfiguration<ConversationFollower>
{
    public void Configure(EntityTypeBuilder<ConversationFollower> builder)
    {
        builder.ToTable("ConversationFollowers");
        builder.HasKey(f => new { f.ConversationId, f.AgentId });
        builder.HasIndex(f => f.AgentId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(f => f.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(f => f.AgentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Why a conversation is snoozed or pending: one row while it is, none once it is open again. Kept beside the
/// conversation rather than as columns of it, so the message writer's row shape does not change.
/// </summary>
internal sealed class ConversationSnooze
{
    public Guid ConversationId { get; set; }
    public Guid TenantId { get; set; }

    /// <summary><see cref="ConversationStatus.Snoozed"/> or <see cref="ConversationStatus.Pending"/>.</summary>
    public ConversationStatus Status { get; set; }

    /// <summary>When a snooze ends by itself, UTC; null: when the customer writes (pending is always null).</summary>
    public DateTime? Until { get; set; }

    /// <summary>When it was set, UTC: a customer's message older than this (still on the event lane) does not end it.</summary>
    public DateTime Since { get; set; }
}

internal sealed class ConversationSnoozeConfiguration : IEntityTypeConfiguration<ConversationSnooze>
{
    public void Configure(EntityTypeBuilder<ConversationSnooze> builder)
    {
        builder.ToTable("ConversationSnoozes");
        builder.HasKey(s => s.ConversationId);
        builder.Property(s => s.Status).HasMaxLength(20);
        builder.HasIndex(s => s.Until);
        builder.HasOne<Conversation>().WithOne().HasForeignKey<ConversationSnooze>(s => s.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
