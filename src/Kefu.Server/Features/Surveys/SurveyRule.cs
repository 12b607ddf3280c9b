using Kefu.Server.Features.Channels.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Surveys;

/// <summary>When an inbox sends its survey: one rule per inbox (no row: the inbox sends none).</summary>
internal sealed class SurveyRule
{
    public Guid InboxId { get; set; }
    public Guid TenantId { get; set; }
    public Guid TemplateId { get; set; }

    /// <summary><see cref="SurveyTriggers"/>.</summary>
    public string Trigger { get; set; } = SurveyTriggers.Resolve;

    /// <summary>For <see cref="SurveyTriggers.Silence"/>: minutes without a message after an agent's last reply.</summary>
    public int SilenceMinutes { get; set; }

    /// <summary>A contact surveyed (in any inbox of the workspace) within this many days is not asked again; 0: no pause.</summary>
    public int QuietDays { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// An answer whose first rating is at or below this (on the template's scale) opens a ticket linked to the
    /// conversation, once per conversation; null: no ticket.
    /// </summary>
    public int? TicketAtOrBelow { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What sends a survey.</summary>
internal static class SurveyTriggers
{
    /// <summary>An agent (or automation) resolves the conversation.</summary>
    public const string Resolve = "resolve";

    /// <summary>Nobody wrote for <see cref="SurveyRule.SilenceMinutes"/> after an agent's reply.</summary>
    public const string Silence = "silence";

    /// <summary>Only an agent, from the conversation.</summary>
    public const string Manual = "manual";

    public static readonly string[] All = [Resolve, Silence, Manual];
}

internal sealed class SurveyRuleConfiguration : IEntityTypeConfiguration<SurveyRule>
{
    public void Configure(EntityTypeBuilder<SurveyRule> builder)
    {
        builder.ToTable("SurveyRules");
        builder.HasKey(r => r.InboxId);
        builder.Property(r => r.Trigger).HasMaxLength(10);
        builder.HasIndex(r => r.TenantId);
        builder.HasIndex(r => r.TemplateId);
        builder.HasOne<Inbox>().WithOne().HasForeignKey<SurveyRule>(r => r.InboxId).OnDelete(DeleteBehavior.Cascade);

        // A template in use cannot vanish under a rule: the rule names the survey every resolve sends.
        builder.HasOne<SurveyTemplate>().WithMany().HasForeignKey(r => r.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}
