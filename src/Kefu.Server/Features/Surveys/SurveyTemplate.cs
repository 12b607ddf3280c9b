using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// A satisfaction survey a workspace sends: its kind (CSAT, NPS or CES) fixes the scale, its questions (one to five,
/// each worded in English and Chinese) are all rated on that scale, an optional comment follows, and its low-score
/// rule says what happens when the first question is rated at or below <see cref="LowScoreThreshold"/>.
/// </summary>
internal sealed class SurveyTemplate
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary><see cref="SurveyKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary><see cref="SurveyStyles"/>: how a CSAT scale is drawn; NPS and CES are numbers.</summary>
    public string Style { get; set; } = SurveyStyles.Stars;

    /// <summary>The questions as JSON (<see cref="SurveyQuestion"/>[]): read with <see cref="QuestionsOf"/>.</summary>
    public string Questions { get; set; } = "[]";

    /// <summary>True when the visitor may add a comment.</summary>
    public bool AskComment { get; set; }

    /// <summary>A first-question score at or below this is a low score; null: no recovery.</summary>
    public int? LowScoreThreshold { get; set; }

    /// <summary>Contact tag added on a low score; null: none.</summary>
    public string? LowScoreTag { get; set; }

    /// <summary>Reopens a resolved conversation on a low score, so someone follows up.</summary>
    public bool ReopenOnLowScore { get; set; }

    /// <summary>Minutes after the first answer during which the visitor may change it.</summary>
    public int ChangeWindowMinutes { get; set; } = 60;

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<SurveyQuestion> QuestionsOf() => Read(Questions);

    /// <summary>Questions stored as JSON (a template's, or a response's copy).</summary>
    public static IReadOnlyList<SurveyQuestion> Read(string json) => JsonSerializer.Deserialize<List<SurveyQuestion>>(json, Json) ?? [];

    public static string Write(IEnumerable<SurveyQuestion> questions) => JsonSerializer.Serialize(questions, Json);
}

/// <summary>One question, worded in both languages the widget speaks.</summary>
/// <param name="En">English wording.</param>
/// <param name="Zh">Simplified Chinese wording.</param>
public sealed record SurveyQuestion(string? En, string? Zh);

/// <summary>The survey kinds and their scales.</summary>
internal static class SurveyKinds
{
    public const string Csat = "csat";
    public const string Nps = "nps";
    public const string Ces = "ces";

    public static readonly string[] All = [Csat, Nps, Ces];

    /// <summary>The lowest and highest score of a kind: CSAT and CES 1–5, NPS 0–10.</summary>
    public static (int Min, int Max) Scale(string kind) => kind == Nps ? (0, 10) : (1, 5);
}

/// <summary>How a CSAT scale is drawn in the widget.</summary>
internal static class SurveyStyles
{
    public const string Stars = "stars";
    public const string Faces = "faces";
    public const string Numbers = "numbers";

    public static readonly string[] All = [Stars, Faces, Numbers];
}

internal sealed class SurveyTemplateConfiguration : IEntityTypeConfiguration<SurveyTemplate>
{
    public void Configure(EntityTypeBuilder<SurveyTemplate> builder)
    {
        builder.ToTable("SurveyTemplates");
        builder.Property(t => t.Name).HasMaxLength(SurveyLimits.NameLength);
        builder.Property(t => t.Kind).HasMaxLength(10);
        builder.Property(t => t.Style).HasMaxLength(10);
        builder.Property(t => t.Questions).HasMaxLength(SurveyLimits.QuestionsJsonLength);
        builder.Property(t => t.LowScoreTag).HasMaxLength(32);
        builder.HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
    }
}
