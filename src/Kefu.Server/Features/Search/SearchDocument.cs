using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Search;

/// <summary>What a search document was made from.</summary>
public enum SearchDocumentKind
{
    /// <summary>A message of a conversation (its masked text).</summary>
    Message,

    /// <summary>A private note (its id is <see cref="SearchDocument.SourceId"/>), found by agents only (ADR 0012, "Adding a kind").</summary>
    Note,
}

/// <summary>
/// One searchable text of a conversation, pre-tokenised (<see cref="SearchTokenizer"/>). The full-text index over
/// <see cref="Terms"/> is the provider's own (SQLite FTS5 table <c>SearchFts</c>, PostgreSQL GIN over
/// <c>to_tsvector('simple', Terms)</c>; <see cref="SearchIndexSchema"/>). Deleted by id with its message or note.
/// </summary>
internal sealed class SearchDocument
{
    /// <summary>Ever increasing (SQLite's AUTOINCREMENT): the FTS5 row id, never reused, and the newest-first order.</summary>
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public SearchDocumentKind Kind { get; set; }

    /// <summary>The message or note this document was made from: unique per kind, so indexing twice changes nothing.</summary>
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
        // No foreign key and no index on ConversationId: that index's keys arrive in random order (a thousand
        // conversations interleave), so every flush touched hundreds of its pages and the WAL grew by a quarter, and a
        // cascade without it would scan the table per conversation. Documents are deleted by their message's or note's
        // id through the unique index above: SearchPersonalData for erasure, NoteDocuments for a deleted note, and
        // SearchIndexWriter drops a document whose message was erased while it was written (ADR 0012, amended).
    }
}
