using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Bot;

/// <summary>What the bot did with one visitor message. Unique per message: a replayed event finds it and does nothing.</summary>
internal sealed class BotTurn
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }

    /// <summary>The visitor message answered.</summary>
    public Guid MessageId { get; set; }
    public long Seq { get; set; }
    public BotOutcome Outcome { get; set; }

    /// <summary>Counts toward <see cref="Contracts.BotOptions.MissesBeforeHandoff"/>.</summary>
    public bool IsMiss { get; set; }

    /// <summary>A typed question the bot could not answer with confidence: listed in analytics to write new articles.</summary>
    public bool Unanswered { get; set; }

    /// <summary><c>zh-CN</c> or <c>en</c>: the language the bot replied in.</summary>
    public required string Language { get; set; }

    /// <summary>The hand-off reason, when this turn handed off.</summary>
    public string? HandoffReason { get; set; }

    /// <summary>The article answered, if any.</summary>
    public Guid? ArticleId { get; set; }
    public double Confidence { get; set; }

    /// <summary>Top intents as JSON <c>[{"id":…,"score":…}]</c>.</summary>
    public string? Intents { get; set; }

    /// <summary>Articles shown to the visitor in this turn (answer or choices), JSON array of ids.</summary>
    public string? Shown { get; set; }

    /// <summary>The visitor's question (cut), kept for the unanswered-questions report.</summary>
    public string? Question { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>What the bot did with a visitor message.</summary>
public enum BotOutcome
{
    /// <summary>Answered with an article.</summary>
    Answered,

    /// <summary>Unsure: offered choices.</summary>
    Choices,

    /// <summary>Greeted at the start of a conversation.</summary>
    Greeted,

    /// <summary>Could not read the message (control characters, only punctuation): asked to rephrase.</summary>
    Rephrase,

    /// <summary>The visitor said an answer helped.</summary>
    Helpful,

    /// <summary>The visitor said an answer did not help.</summary>
    NotHelpful,

    /// <summary>Handed the conversation to people.</summary>
    HandedOff,

    /// <summary>Only emoji ("👍", "😊"): a reaction, not a question. Acknowledged, never a miss.</summary>
    Acknowledged,

    /// <summary>A picture or a file without words: the bot cannot read it, asks what is needed and offers a person. Never a miss.</summary>
    ReceivedAttachment,

    /// <summary>A bot flow took the turn (and did not hand off).</summary>
    Flow,
}

internal sealed class BotTurnConfiguration : IEntityTypeConfiguration<BotTurn>
{
    public void Configure(EntityTypeBuilder<BotTurn> builder)
    {
        builder.Property(t => t.Outcome).HasMaxLength(20);
        builder.Property(t => t.Language).HasMaxLength(10);
        builder.Property(t => t.HandoffReason).HasMaxLength(32);
        builder.Property(t => t.Intents).HasMaxLength(2000);
        builder.Property(t => t.Shown).HasMaxLength(1000);
        builder.Property(t => t.Question).HasMaxLength(500);
        builder.HasIndex(t => new { t.ConversationId, t.MessageId }).IsUnique();
        builder.HasIndex(t => new { t.TenantId, t.CreatedAt });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}
