using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>
/// The encrypted original of one masked value in a message, stored beside the message in the same
/// transaction. The message writer adds these rows; only masking reads and decrypts them.
/// </summary>
internal sealed class ProtectedMessageValue
{
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public long Seq { get; set; }

    /// <summary>Order of the value in the message (0, 1, …).</summary>
    public int Position { get; set; }
    public Guid MessageId { get; set; }
    public PersonalDataKind Kind { get; set; }

    /// <summary>Where the masked form starts in the stored text, so the original can be put back in place.</summary>
    public int Start { get; set; }
    public int Length { get; set; }

    /// <summary>The original, encrypted with a Data Protection purpose bound to the workspace.</summary>
    public required string Cipher { get; set; }

    /// <summary>A row for one value of a stored message.</summary>
    public static ProtectedMessageValue For(Guid tenantId, Guid conversationId, Guid messageId, long seq, ProtectedValue value) => new()
    {
        TenantId = tenantId, ConversationId = conversationId, MessageId = messageId, Seq = seq, Position = value.Position,
        Kind = value.Kind, Start = value.Start, Length = value.Length, Cipher = value.Cipher,
    };
}

internal sealed class ProtectedMessageValueConfiguration : IEntityTypeConfiguration<ProtectedMessageValue>
{
    public void Configure(EntityTypeBuilder<ProtectedMessageValue> builder)
    {
        builder.HasKey(v => new { v.TenantId, v.ConversationId, v.Seq, v.Position });
        builder.Property(v => v.Kind).HasMaxLength(20);
        builder.Property(v => v.Cipher).HasMaxLength(2000);

        // Erasing a conversation erases its originals with it.
        builder.HasOne<Conversation>().WithMany().HasForeignKey(v => v.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
