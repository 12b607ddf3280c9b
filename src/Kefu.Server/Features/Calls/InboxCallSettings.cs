using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// Which calls a widget inbox's visitors may start (voice, video, screen share). Without a row the server's
/// <c>Kefu:Calls:VisitorsMayRequest</c> decides for all three. Agents may offer any call whatever this says.
/// A table of its own (not <c>Inbox.ChannelSettings</c>, which belongs to non-widget channels), owned by the calls feature.
/// </summary>
internal sealed class InboxCallSettings
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }
    public bool VisitorVoice { get; set; }
    public bool VisitorVideo { get; set; }
    public bool VisitorScreen { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class InboxCallSettingsConfiguration : IEntityTypeConfiguration<InboxCallSettings>
{
    public void Configure(EntityTypeBuilder<InboxCallSettings> builder)
    {
        builder.ToTable("InboxCallSettings");
        builder.HasKey(s => s.InboxId);
        builder.HasIndex(s => s.TenantId);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<InboxCallSettings>(s => s.InboxId).OnDelete(DeleteBehavior.Cascade);
    }
}
