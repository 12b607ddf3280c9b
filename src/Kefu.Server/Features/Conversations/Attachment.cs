using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Conversations;

/// <summary>An uploaded file. The bytes live under the data folder, named by <see cref="Id"/> only.</summary>
internal sealed class Attachment
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>The visitor who uploaded it, or null when an agent did.</summary>
    public Guid? UploaderContactId { get; set; }

    /// <summary>The agent who uploaded it, or null when a visitor did.</summary>
    public Guid? UploaderAgentId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>A voice message's length as the recorder measured it (at most <c>Kefu:Conversations:MaxVoiceSeconds</c>); null for other files.</summary>
    public int? DurationMs { get; set; }

    /// <summary>A voice message's transcription: <see cref="TranscriptStates"/>; null for other files.</summary>
    public string? TranscriptState { get; set; }

    /// <summary>The words of a voice message, when <see cref="TranscriptState"/> is done.</summary>
    public string? Transcript { get; set; }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.HasIndex(a => a.TenantId);
        builder.Property(a => a.TranscriptState).HasMaxLength(16);
        builder.Property(a => a.Transcript).HasMaxLength(TranscriptStates.MaxLength);
        // The transcription worker's queue: only voice messages waiting for the endpoint are in this index.
        builder.HasIndex(a => a.TranscriptState).HasFilter("\"TranscriptState\" = 'pending'");
    }
}
