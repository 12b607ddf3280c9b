using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>
/// A workspace's OpenID Connect provider: one row per workspace, edited by its admins
/// (<c>GET/PUT /api/v1/workspace/sso</c>, the console's SSO settings page). See ADR 0007.
/// </summary>
internal sealed class SsoSettings
{
    public Guid TenantId { get; set; }

    /// <summary>Off: the sign-in page shows no button and the callback refuses every answer.</summary>
    public bool Enabled { get; set; }

    /// <summary>Shown as "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>The issuer's base address; its <c>/.well-known/openid-configuration</c> is read.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>The client secret, encrypted with ASP.NET Core Data Protection; never returned by the API.</summary>
    public string? ProtectedClientSecret { get; set; }

    /// <summary>The id-token claim that holds the e-mail matched to an agent (<c>email</c>; Entra ID: <c>preferred_username</c>).</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>Refuse an id token whose <c>email_verified</c> is not true (off for providers that never send it).</summary>
    public bool RequireVerifiedEmail { get; set; } = true;

    /// <summary>
    /// E-mail domains of the workspace, space separated: the sign-in page finds the workspace by the domain typed,
    /// and just-in-time provisioning is limited to them.
    /// </summary>
    public string EmailDomains { get; set; } = "";

    /// <summary>Create an agent on first sign-in when no agent has the e-mail (domain allowed).</summary>
    public bool ProvisionAgents { get; set; }

    /// <summary>The built-in role of agents created on first sign-in.</summary>
    public AgentRole ProvisionRole { get; set; } = AgentRole.Agent;

    /// <summary>Refuse password sign-in to the workspace's agents; admins keep it (break-glass).</summary>
    public bool EnforceSso { get; set; }

    /// <summary>When the settings last changed: every node rebuilds its OpenID Connect options when it differs.</summary>
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> DomainList() =>
        EmailDomains.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when <paramref name="email"/> is in one of the workspace's domains (case-insensitive).</summary>
    public bool AllowsDomainOf(string email) =>
        email.LastIndexOf('@') is var at and > 0 &&
        DomainList().Contains(email[(at + 1)..], StringComparer.OrdinalIgnoreCase);
}

internal sealed class SsoSettingsConfiguration : IEntityTypeConfiguration<SsoSettings>
{
    public void Configure(EntityTypeBuilder<SsoSettings> builder)
    {
        builder.ToTable("SsoSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.DisplayName).HasMaxLength(100);
        builder.Property(s => s.Authority).HasMaxLength(500);
        builder.Property(s => s.ClientId).HasMaxLength(200);
        builder.Property(s => s.ProtectedClientSecret).HasMaxLength(4000);
        builder.Property(s => s.EmailClaim).HasMaxLength(100);
        builder.Property(s => s.EmailDomains).HasMaxLength(1000);
        builder.Property(s => s.ProvisionRole).HasMaxLength(20);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
