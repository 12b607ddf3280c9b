using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Knowledge;

/// <summary>A knowledge-base entry: an FAQ question with its Markdown answer and the other ways people ask it.</summary>
internal sealed class Article
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Question { get; set; }

    /// <summary>Markdown; rendered with raw HTML disabled and then sanitized, or reduced to plain text for chat.</summary>
    public required string Answer { get; set; }

    /// <summary>Alternative phrasings: the bot trains on these together with <see cref="Question"/>.</summary>
    public List<string> Phrasings { get; set; } = [];
    public string Category { get; set; } = "";

    /// <summary><c>zh-CN</c> or <c>en</c>.</summary>
    public required string Language { get; set; }
    public ArticleStatus Status { get; set; } = ArticleStatus.Draft;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.Property(a => a.Question).HasMaxLength(ArticleRules.MaxQuestionLength);
        builder.Property(a => a.Answer).HasMaxLength(ArticleRules.MaxAnswerLength);
        builder.Property(a => a.Category).HasMaxLength(ArticleRules.MaxCategoryLength);
        builder.Property(a => a.Language).HasMaxLength(10);
        builder.Property(a => a.Status).HasMaxLength(20);
        builder.HasIndex(a => new { a.TenantId, a.Status, a.Language });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
    }
}
