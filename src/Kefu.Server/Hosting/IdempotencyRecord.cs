using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Hosting;

/// <summary>
/// One <c>Idempotency-Key</c> of a workspace: the request it came with (a hash) and, once done, the answer to replay.
/// <see cref="Status"/> 0 means the first request is still running. Kept <see cref="Idempotency.Lifetime"/>.
/// </summary>
internal sealed class IdempotencyRecord
{
    public Guid TenantId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Status { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? Body { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("IdempotencyKeys");
        // The key is the claim: of two racing first requests, the second insert fails and answers 409.
        builder.HasKey(r => new { r.TenantId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(Idempotency.MaxKeyLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(2000);
        builder.HasIndex(r => r.CreatedAt);
    }
}
