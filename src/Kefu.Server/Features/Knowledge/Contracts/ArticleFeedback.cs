using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Knowledge.Contracts;

/// <summary>One "did this help?" answer, from a bot answer in chat or from the widget's self-service panel.</summary>
internal sealed class ArticleFeedback
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Not a foreign key: feedback outlives a deleted article for the ratio.</summary>
    public Guid ArticleId { get; set; }

    /// <summary>The conversation for feedback given in chat; null for the self-service panel.</summary>
    public Guid? ConversationId { get; set; }
    public bool Helpful { get; set; }

    /// <summary><c>bot</c> or <c>self_service</c>.</summary>
    public required string Source { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class ArticleFeedbackConfiguration : IEntityTypeConfiguration<ArticleFeedback>
{
    public void Configure(EntityTypeBuilder<ArticleFeedback> builder)
    {
        builder.ToTable("ArticleFeedback");
        builder.Property(f => f.Source).HasMaxLength(20);
        builder.HasIndex(f => new { f.TenantId, f.CreatedAt });
    }
}
