using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// One row per conversation, kept current from the journal's typed events (<see cref="RecordConversationFacts"/>): what
/// reports count. Definitions of every field are in <c>docs/metrics.md</c>; <see cref="FactTimeline"/> is the one place
/// that changes them. No personal data: ids, times, counts, scores and the contact's tags.
/// </summary>
internal sealed class ConversationFact : IReportRow
{
    /// <summary>The conversation's id.</summary>
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid InboxId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>The hour the conversation started (UTC, minutes cut off): the rollup bucket every metric of it counts in.</summary>
    public DateTime Hour { get; set; }

    /// <summary>Who opened it: <c>visitor</c>, <c>agent</c>, <c>integration</c> … (an agent's outbound conversation has no first response).</summary>
    public string StartedBy { get; set; } = "visitor";

    /// <summary>The contact's tags (space separated) when the conversation started, refreshed when it is resolved.</summary>
    public string Tags { get; set; } = "";

    public bool BotInvolved { get; set; }
    public DateTime? HandedOffAt { get; set; }
    public string? HandOffReason { get; set; }

    /// <summary>When it first entered the line for a person.</summary>
    public DateTime? QueuedAt { get; set; }

    /// <summary>When the current wait in line began; null when nobody is waiting.</summary>
    public DateTime? WaitingSince { get; set; }

    /// <summary>Seconds waited in line, every wait added (a transfer back to a team's line waits again).</summary>
    public double WaitSeconds { get; set; }

    /// <summary>When it last entered the line (guards against an event delivered twice).</summary>
    public DateTime? LastQueuedAt { get; set; }

    public DateTime? FirstAssignedAt { get; set; }

    /// <summary>When it was last assigned (guards against an event delivered twice).</summary>
    public DateTime? LastAssignedAt { get; set; }

    /// <summary>The agent holding it now, or the last one who did.</summary>
    public Guid? AgentId { get; set; }

    /// <summary>Since when <see cref="AgentId"/> holds it (the current handling stretch); null when nobody holds it.</summary>
    public DateTime? HeldSince { get; set; }

    /// <summary>Every agent who held it, ids space separated, in order.</summary>
    public string Agents { get; set; } = "";

    /// <summary>The team whose line it last joined.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>When the clock of the first response started: the first visitor message that reached a human (creation, or the bot's hand-off).</summary>
    public DateTime? ResponseClockAt { get; set; }
    public DateTime? FirstResponseAt { get; set; }
    public double? FirstResponseSeconds { get; set; }

    public DateTime? FirstResolvedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }

    /// <summary>From creation to the last resolution.</summary>
    public double? ResolutionSeconds { get; set; }
    public bool Resolved { get; set; }
    public int Reopens { get; set; }
    public DateTime? ReopenedAt { get; set; }

    /// <summary>Seconds an agent held it, every stretch added.</summary>
    public double HandlingSeconds { get; set; }
    public int Transfers { get; set; }
    public DateTime? TransferredAt { get; set; }

    /// <summary>The visitor left while waiting in line, before any agent held it.</summary>
    public bool Abandoned { get; set; }
    public double? AbandonedAfterSeconds { get; set; }

    /// <summary>Messages each side, counted when the conversation is resolved.</summary>
    public int VisitorMessages { get; set; }
    public int AgentMessages { get; set; }
    public int BotMessages { get; set; }

    public int? CsatScore { get; set; }
    public int? NpsScore { get; set; }
    public int? CesScore { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Whether the visitor got an agent: held by someone at some point.</summary>
    public bool ReachedAgent => FirstAssignedAt is not null;

    /// <summary>Waited in line and was then taken by an agent (not abandoned): what the waiting time averages over.</summary>
    public bool Served => QueuedAt is not null && FirstAssignedAt is not null && !Abandoned;
}

internal sealed class ConversationFactConfiguration : IEntityTypeConfiguration<ConversationFact>
{
    public void Configure(EntityTypeBuilder<ConversationFact> builder)
    {
        builder.ToTable("ConversationFacts");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.StartedBy).HasMaxLength(20);
        builder.Property(f => f.Tags).HasMaxLength(500);
        builder.Property(f => f.HandOffReason).HasMaxLength(50);
        builder.Property(f => f.Agents).HasMaxLength(2000);
        builder.Ignore(f => f.ReachedAgent);
        builder.Ignore(f => f.Served);
        builder.HasIndex(f => new { f.TenantId, f.Hour });
        builder.HasIndex(f => new { f.TenantId, f.CreatedAt, f.Id });
    }
}
