using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Voice;

/// <summary>
/// A workspace's speech endpoint (ADR 0039): an OpenAI-compatible <c>/audio/transcriptions</c> server, hosted or local
/// (whisper.cpp, faster-whisper, vLLM). Without a row, or with <see cref="Enabled"/> off, voice messages stay audio only.
/// </summary>
internal sealed class VoiceSettings
{
    public const int DefaultTimeoutSeconds = 30;

    public Guid TenantId { get; set; }
    public bool Enabled { get; set; }

    /// <summary>The base address the client appends <c>/audio/transcriptions</c> to, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public required string Endpoint { get; set; }
    public required string Model { get; set; }

    /// <summary>The API key sealed with Data Protection; null when the endpoint needs none. Never read back to a client.</summary>
    public string? ProtectedApiKey { get; set; }
    public int TimeoutSeconds { get; set; } = DefaultTimeoutSeconds;
    public DateTime UpdatedAt { get; set; }
}

internal sealed class VoiceSettingsConfiguration : IEntityTypeConfiguration<VoiceSettings>
{
    public void Configure(EntityTypeBuilder<VoiceSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Endpoint).HasMaxLength(VoiceRules.MaxEndpointLength);
        builder.Property(s => s.Model).HasMaxLength(VoiceRules.MaxModelLength);
        builder.Property(s => s.ProtectedApiKey).HasMaxLength(4000);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<VoiceSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
