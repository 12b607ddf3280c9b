using Kefu.Server.Features.Contacts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// A widget visitor's pre-chat answers that routing needs: the chosen department's skills. One row per visitor contact
/// (a widget contact belongs to one inbox); answering again replaces it. The name, e-mail and phone go to the contact.
/// </summary>
internal sealed class PreChatSubmission
{
    /// <summary>The visitor's contact.</summary>
    public Guid ContactId { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }

    /// <summary>The chosen department's name as the form had it then, or null when none was asked or chosen.</summary>
    public string? Department { get; set; }

    /// <summary>
    /// The department's skills, copied when the visitor answered (<c>billing:2</c>), so a later change of the form does not
    /// reroute a waiting visitor. Routing adds them to the inbox's required skills when the conversation is queued.
    /// </summary>
    public string RequiredSkills { get; set; } = "";
    public DateTime SubmittedAt { get; set; }
}

internal sealed class PreChatSubmissionConfiguration : IEntityTypeConfiguration<PreChatSubmission>
{
    public void Configure(EntityTypeBuilder<PreChatSubmission> builder)
    {
        builder.HasKey(p => p.ContactId);
        builder.Property(p => p.Department).HasMaxLength(PreChatRules.MaxLabel);
        builder.Property(p => p.RequiredSkills).HasMaxLength(1000);
        // Erasing a contact takes its answers with it.
        builder.HasOne<Contact>().WithOne().HasForeignKey<PreChatSubmission>(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Inbox>().WithMany().HasForeignKey(p => p.InboxId).OnDelete(DeleteBehavior.Restrict);
    }
}
