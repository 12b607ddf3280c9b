using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// What the bot hands to people with a conversation: stored once per hand-off in its own table (not in
/// <see cref="Conversations.Contracts.TimelineEntry.Data"/>, which is capped small), shown at the top of the conversation.
/// </summary>
internal sealed class HandoffPacket
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }

    /// <summary><c>requested</c>, <c>angry</c>, <c>not_known</c> or <c>repeated_misses</c>.</summary>
    public required string Reason { get; set; }

    /// <summary>False when nobody was available: the bot took a message instead.</summary>
    public bool AgentsAvailable { get; set; }

    /// <summary>JSON: transcript, intents, articles shown, sentiment (see <c>HandoffPacketDto</c>).</summary>
    public required string Data { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class HandoffPacketConfiguration : IEntityTypeConfiguration<HandoffPacket>
{
    public void Configure(EntityTypeBuilder<HandoffPacket> builder)
    {
        builder.Property(p => p.Reason).HasMaxLength(32);
        builder.HasIndex(p => new { p.ConversationId, p.CreatedAt });
        builder.HasIndex(p => new { p.TenantId, p.CreatedAt });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(p => p.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
