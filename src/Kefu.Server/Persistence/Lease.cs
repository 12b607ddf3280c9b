using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Persistence;

/// <summary>
/// Who runs a background job now (<c>outbox</c>, <c>router</c>): one node at a time holds each lease and renews
/// it; a node that dies stops renewing, and another takes the lease once <see cref="ExpiresAt"/> has passed.
/// </summary>
internal sealed class Lease
{
    /// <summary>The job.</summary>
    public required string Name { get; set; }

    /// <summary>The node holding it (<see cref="Hosting.NodeIdentity"/>).</summary>
    public required string Holder { get; set; }

    /// <summary>UTC; after this, any node may take the lease.</summary>
    public DateTime ExpiresAt { get; set; }
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> builder)
    {
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(100);
        builder.Property(l => l.Holder).HasMaxLength(100);
    }
}
