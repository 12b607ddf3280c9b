using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// One survey sent in a conversation, and the visitor's answer once given: stored with the conversation (deleted with
/// it), the survey as it was worded when sent, and the agents who handled the conversation when it was answered.
/// </summary>
internal sealed class SurveyResponse
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid InboxId { get; set; }
    public Guid ContactId { get; set; }
    public Guid TemplateId { get; set; }

    /// <summary><see cref="SurveyKinds"/>, copied from the template so a later edit cannot change what was asked.</summary>
    public required string Kind { get; set; }
    public required string Style { get; set; }

    /// <summary>The questions as sent (<see cref="SurveyQuestion"/>[] as JSON).</summary>
    public required string Questions { get; set; }
    public bool AskComment { get; set; }

    /// <summary>What sent it (<see cref="SurveyTriggers"/>) and a key that makes a replayed trigger find this row instead of sending twice.</summary>
    public required string Trigger { get; set; }
    public required string TriggerKey { get; set; }

    /// <summary>The agent who sent it by hand; null for a rule.</summary>
    public Guid? SentBy { get; set; }
    public DateTime SentAt { get; set; }

    /// <summary>The first question's score; null until answered.</summary>
    public int? Score { get; set; }

    /// <summary>Every question's score, space separated.</summary>
    public string? Scores { get; set; }
    public string? Comment { get; set; }
    public DateTime? AnsweredAt { get; set; }

    /// <summary>Until when the answer may be changed (set by the first answer).</summary>
    public DateTime? ChangeableUntil { get; set; }

    /// <summary>The agents who handled the conversation (its assignee and every agent who wrote in it), space separated.</summary>
    public string AgentIds { get; set; } = "";

    /// <summary>True once an answer was at or below the template's threshold and recovery ran.</summary>
    public bool LowScore { get; set; }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.ToTable("SurveyResponses");
        builder.Property(r => r.Kind).HasMaxLength(10);
        builder.Property(r => r.Style).HasMaxLength(10);
        builder.Property(r => r.Questions).HasMaxLength(SurveyLimits.QuestionsJsonLength);
        builder.Property(r => r.Trigger).HasMaxLength(10);
        builder.Property(r => r.TriggerKey).HasMaxLength(64);
        builder.Property(r => r.Scores).HasMaxLength(40);
        builder.Property(r => r.Comment).HasMaxLength(SurveyLimits.CommentLength);
        builder.Property(r => r.AgentIds).HasMaxLength(2000);
        builder.HasIndex(r => new { r.ConversationId, r.TriggerKey }).IsUnique();

        // "Not to a visitor surveyed in the last N days" reads a contact's latest survey.
        builder.HasIndex(r => new { r.ContactId, r.SentAt });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SurveyTemplate>().WithMany().HasForeignKey(r => r.TemplateId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The limits of templates and answers, in one place for validation, columns and the widget.</summary>
internal static class SurveyLimits
{
    public const int NameLength = 100;
    public const int MaxQuestions = 5;
    public const int QuestionLength = 200;
    public const int QuestionsJsonLength = 4000;
    public const int CommentLength = 1000;
    public const int MaxTemplates = 50;
    public const int MaxChangeWindowMinutes = 7 * 24 * 60;
    public const int MaxQuietDays = 365;
    public const int MaxSilenceMinutes = 7 * 24 * 60;
}
