using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Search;

/// <summary>What a search document was made from.</summary>
public enum SearchDocumentKind
{
    /// <summary>A message of a conversation (its masked text).</summary>
    Message,

    /// <summary>
    /// Reserved for private notes, shown to agents only (ADR 0012, "Adding a kind"). <see cref="SearchDocument.SourceId"/>
    /// references a message (ADR 0012, amended), so a note kind needs its own key column and foreign key first.
    /// </summary>
    Note,
}

/// <summary>
/// One searchable text of a conversation, pre-tokenised (<see cref="SearchTokenizer"/>). The full-text index over
/// <see cref="Terms"/> is the provider's own (SQLite FTS5 table <c>SearchFts</c>, PostgreSQL GIN over
/// <c>to_tsvector('simple', Terms)</c>; <see cref="SearchIndexSchema"/>). Deleted with its message (cascade).
/// </summary>
internal sealed class SearchDocument
{
    /// <summary>Ever increasing (SQLite's AUTOINCREMENT): the FTS5 row id, never reused, and the newest-first order.</summary>
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public SearchDocumentKind Kind { get; set; }

    /// <summary>
    /// The message this document was made from: unique per kind, so indexing twice changes nothing, and a foreign key,
    /// so a document is never written for a message erased meanwhile.
    /// </summary>
    public Guid SourceId { get; set; }
    public Guid ConversationId { get; set; }

    /// <summary>The message's <c>Seq</c>: the console opens the conversation there.</summary>
    public long Seq { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The index words, space separated.</summary>
    public required string Terms { get; set; }
}

internal sealed class SearchDocumentConfiguration : IEntityTypeConfiguration<SearchDocument>
{
    public void Configure(EntityTypeBuilder<SearchDocument> builder)
    {
        builder.ToTable("SearchDocuments");
        builder.Property(d => d.Id).ValueGeneratedOnAdd();
        builder.Property(d => d.Kind).HasMaxLength(20);
        builder.HasIndex(d => new { d.SourceId, d.Kind }).IsUnique();
        // Deleted with its message, found through the unique index above. No index on ConversationId: its keys arrive
        // in random order (a thousand conversations interleave), so every flush touched hundreds of its pages, and the
        // WAL grew by a quarter again; searches start from the full-text match and reach the conversation by its key
        // (ADR 0012, amended; docs/benchmarks.md).
        builder.HasOne<Message>().WithMany().HasForeignKey(d => d.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}
