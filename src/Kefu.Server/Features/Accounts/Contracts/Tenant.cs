using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>A workspace: one business. Every other row belongs to exactly one tenant.</summary>
internal sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// Every password sign-in must have a second factor: a user without one must enrol before anything else
    /// works. Single sign-on is exempt (the identity provider owns the second factor).
    /// </summary>
    public bool RequireTwoFactor { get; set; }
}

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
    }
}
