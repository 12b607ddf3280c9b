using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Ai;

/// <summary>
/// A workspace's optional LLM: an OpenAI-compatible endpoint (a hosted one, or a local Ollama, vLLM or llama.cpp
/// server). A workspace without a row, or with <see cref="Enabled"/> off, uses the offline engine alone.
/// </summary>
internal sealed class AiSettings
{
    public const int DefaultTimeoutSeconds = 10;
    public const long DefaultMonthlyTokenBudget = 1_000_000;

    public Guid TenantId { get; set; }
    public bool Enabled { get; set; }

    /// <summary>The base address the client appends <c>/chat/completions</c> to, e.g. <c>http://127.0.0.1:11434/v1</c>.</summary>
    public required string Endpoint { get; set; }
    public required string Model { get; set; }

    /// <summary>The API key sealed with Data Protection; null when the endpoint needs none. Never read back to a client.</summary>
    public string? ProtectedApiKey { get; set; }
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;

    /// <summary>Tokens (in + out) the workspace may spend per calendar month (UTC); a call past it is not made.</summary>
    public long MonthlyTokenBudget { get; set; } = DefaultMonthlyTokenBudget;

    /// <summary>Translate visitors' messages for agents and agents' replies for visitors.</summary>
    public bool Translation { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One call to the endpoint (or one refused before it): the cost log and the budget's ledger.</summary>
internal sealed class AiUsage
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>What the call was for: <see cref="AiPurposes"/>.</summary>
    public required string Purpose { get; set; }

    /// <summary><see cref="AiOutcomes"/>: ok, timeout, failed, too_large, over_budget, invalid.</summary>
    public required string Outcome { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public int LatencyMs { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class AiSettingsConfiguration : IEntityTypeConfiguration<AiSettings>
{
    public void Configure(EntityTypeBuilder<AiSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Endpoint).HasMaxLength(AiRules.MaxEndpointLength);
        builder.Property(s => s.Model).HasMaxLength(AiRules.MaxModelLength);
        builder.Property(s => s.ProtectedApiKey).HasMaxLength(4000);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<AiSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AiUsageConfiguration : IEntityTypeConfiguration<AiUsage>
{
    public void Configure(EntityTypeBuilder<AiUsage> builder)
    {
        builder.Property(u => u.Purpose).HasMaxLength(32);
        builder.Property(u => u.Outcome).HasMaxLength(32);
        builder.HasIndex(u => new { u.TenantId, u.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
