using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>How far an API key may go: its verbs. Its <see cref="ApiKey.Permissions"/> say which features.</summary>
public enum ApiKeyAccess
{
    /// <summary>Reads only: GET and HEAD requests.</summary>
    Read = 0,

    /// <summary>Reads and changes conversations, contacts, knowledge… but never workspace settings or people.</summary>
    Write = 1,

    /// <summary>Everything its permissions allow, settings and people included.</summary>
    Admin = 2,
}

/// <summary>
/// A workspace's API key. Only the SHA-256 of the key is stored (<see cref="Hash"/>): the key is shown once, when it is
/// created. <see cref="Prefix"/> (its first characters) identifies it in lists and logs.
/// </summary>
internal sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    public ApiKeyAccess Access { get; set; }
    public Permission Permissions { get; set; }
    public Guid CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public Guid? RevokedById { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(16);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.Property(k => k.Access).HasConversion<int>();
        // A number, not the enum's name list: flags combine.
        builder.Property(k => k.Permissions).HasConversion<long>();
        // Every request finds its key by hash: one index seek.
        builder.HasIndex(k => k.Hash).IsUnique();
        // The settings list pages through a workspace's keys newest first by id (version 7: time ordered).
        builder.HasIndex(k => new { k.TenantId, k.Id });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AgentUser>().WithMany().HasForeignKey(k => k.CreatedById).OnDelete(DeleteBehavior.Cascade);
    }
}
