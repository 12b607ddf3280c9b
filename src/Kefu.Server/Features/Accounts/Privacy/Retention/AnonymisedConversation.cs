using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>
/// A conversation the retention job anonymised, and how far: a visitor who writes again afterwards moves the
/// conversation's <see cref="Conversation.LastMessageAt"/> past <see cref="LastActiveAt"/>, and the new messages are
/// anonymised in their turn once they are old enough. Without it every run would rewrite the same rows.
/// </summary>
internal sealed class AnonymisedConversation
{
    public Guid ConversationId { get; set; }

    /// <summary>The conversation's last activity covered by the anonymisation.</summary>
    public DateTime LastActiveAt { get; set; }

    public DateTime AnonymisedAt { get; set; }
}

internal sealed class AnonymisedConversationConfiguration : IEntityTypeConfiguration<AnonymisedConversation>
{
    public void Configure(EntityTypeBuilder<AnonymisedConversation> builder)
    {
        builder.ToTable("AnonymisedConversations");
        builder.HasKey(a => a.ConversationId);
        builder.HasOne<Conversation>().WithOne().HasForeignKey<AnonymisedConversation>(a => a.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
