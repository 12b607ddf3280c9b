using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>A bot flow: its draft, its triggers, and the number of its published version (versions are rows of <see cref="BotFlowVersion"/>).</summary>
internal sealed class BotFlow
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The draft definition (JSON, <see cref="FlowDefinition"/>): edited and test-run, never run for visitors.</summary>
    public required string Draft { get; set; }

    /// <summary>Keywords that start the published flow, one per line (matched as a substring, case-insensitive).</summary>
    public string Keywords { get; set; } = "";

    /// <summary>FAQ articles that start the flow instead of being answered: ids, space separated.</summary>
    public string ArticleIds { get; set; } = "";

    /// <summary>The version visitors start now (all of them, or those outside the gray release); null until the first publish.</summary>
    public int? PublishedVersion { get; set; }

    /// <summary>A newer version in gray release: new conversations start it with <see cref="RolloutPercent"/> % (ADR 0041); null when none.</summary>
    public int? RolloutVersion { get; set; }

    /// <summary>The share (1–99) of new conversations that start <see cref="RolloutVersion"/>; 0 when no gray release runs.</summary>
    public int RolloutPercent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A published, immutable version of a flow: runs are pinned to it.</summary>
internal sealed class BotFlowVersion
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid FlowId { get; set; }
    public int Version { get; set; }
    public required string Definition { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A flow running in a conversation: pinned to the version it started on, with its state (JSON <see cref="FlowRunState"/>).</summary>
internal sealed class BotFlowRun
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid FlowId { get; set; }
    public int Version { get; set; }
    /// <summary>The longest state stored (the column's length): <see cref="FlowEngine.Save"/> keeps a run's state within it.</summary>
    public const int MaxStateLength = 8000;

    public required string State { get; set; }

    /// <summary>False once it ended or handed off.</summary>
    public bool Active { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A workspace's HTTP action settings: the base URL, the signing secret (Data Protection) and the hosts allowed despite a private address.</summary>
internal sealed class FlowSettings
{
    public Guid TenantId { get; set; }

    /// <summary>Joined to action URLs that are a path; empty when none.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The HMAC secret, protected; null until generated.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Host names (or IP literals) an admin allowed although they resolve to private or loopback addresses, space separated.</summary>
    public string AllowedHosts { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

internal sealed class BotFlowConfiguration : IEntityTypeConfiguration<BotFlow>, IEntityTypeConfiguration<BotFlowVersion>, IEntityTypeConfiguration<BotFlowRun>, IEntityTypeConfiguration<FlowSettings>
{
    public void Configure(EntityTypeBuilder<BotFlow> builder)
    {
        builder.Property(f => f.Name).HasMaxLength(100);
        builder.Property(f => f.Keywords).HasMaxLength(1000);
        builder.Property(f => f.ArticleIds).HasMaxLength(1000);
        builder.HasIndex(f => new { f.TenantId, f.Name }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<BotFlowVersion> builder)
    {
        builder.HasIndex(v => new { v.FlowId, v.Version }).IsUnique();
        builder.HasOne<BotFlow>().WithMany().HasForeignKey(v => v.FlowId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<BotFlowRun> builder)
    {
        builder.Property(r => r.State).HasMaxLength(BotFlowRun.MaxStateLength);
        builder.HasIndex(r => new { r.ConversationId, r.Active });
        builder.HasOne<Conversation>().WithMany().HasForeignKey(r => r.ConversationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BotFlow>().WithMany().HasForeignKey(r => r.FlowId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<FlowSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.BaseUrl).HasMaxLength(2000);
        builder.Property(s => s.AllowedHosts).HasMaxLength(2000);
    }
}
