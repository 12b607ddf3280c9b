using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>A workspace's masking choices; a workspace without a row uses <see cref="Defaults"/>.</summary>
internal sealed class MaskingSettings
{
    /// <summary>Identity, mobile and card numbers on; e-mail addresses off (many businesses need to read them).</summary>
    public static readonly MaskingKinds Defaults = MaskingKinds.IdentityNumber | MaskingKinds.Mobile | MaskingKinds.BankCard;

    public Guid TenantId { get; set; }
    public bool IdentityNumbers { get; set; }
    public bool MobileNumbers { get; set; }
    public bool BankCards { get; set; }
    public bool EmailAddresses { get; set; }
    public DateTime UpdatedAt { get; set; }

    public MaskingKinds Kinds =>
        (IdentityNumbers ? MaskingKinds.IdentityNumber : 0) | (MobileNumbers ? MaskingKinds.Mobile : 0) |
        (BankCards ? MaskingKinds.BankCard : 0) | (EmailAddresses ? MaskingKinds.Email : 0);
}

internal sealed class MaskingSettingsConfiguration : IEntityTypeConfiguration<MaskingSettings>
{
    public void Configure(EntityTypeBuilder<MaskingSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<MaskingSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
