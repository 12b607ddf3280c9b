using System.ComponentModel.DataAnnotations;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>A workspace's single sign-on settings as admins see them: the client secret is never returned.</summary>
/// <param name="Enabled">Whether the sign-in page offers the provider and its answers are accepted.</param>
/// <param name="DisplayName">Shown as "Sign in with {DisplayName}".</param>
/// <param name="Authority">The provider's issuer address (its discovery document is read from there).</param>
/// <param name="ClientId">Kefu's client id at the provider.</param>
/// <param name="ClientSecretSet">True when a client secret is stored.</param>
/// <param name="EmailClaim">The id-token claim matched to an agent's e-mail.</param>
/// <param name="RequireVerifiedEmail">Refuse tokens whose <c>email_verified</c> is not true.</param>
/// <param name="EmailDomains">The workspace's e-mail domains: sign-in discovery and provisioning.</param>
/// <param name="ProvisionAgents">Create agents on first sign-in (domains above only).</param>
/// <param name="ProvisionRole">The built-in role of provisioned agents.</param>
/// <param name="EnforceSso">Password sign-in refused to the workspace's agents (admins keep it).</param>
/// <param name="RedirectUri">The address to register at the provider as the redirect (callback) URI.</param>
/// <param name="SignInUrl">The workspace's sign-in address, which shows its provider's button.</param>
public sealed record SsoSettingsDto(
    bool Enabled, string DisplayName, string Authority, string ClientId, bool ClientSecretSet, string EmailClaim,
    bool RequireVerifiedEmail, IReadOnlyList<string> EmailDomains, bool ProvisionAgents, AgentRole ProvisionRole, bool EnforceSso,
    string RedirectUri, string SignInUrl);

/// <summary>New single sign-on settings for the caller's workspace.</summary>
/// <param name="Enabled">Offer the provider and accept its answers.</param>
/// <param name="DisplayName">Button text after "Sign in with", 1-100 characters (required when enabled).</param>
/// <param name="Authority">The provider's issuer address: https (plain http only for a loopback provider in Development).</param>
/// <param name="ClientId">Kefu's client id at the provider (required when enabled).</param>
/// <param name="ClientSecret">A new client secret; null keeps the stored one, an empty string removes it.</param>
/// <param name="EmailClaim">The claim holding the e-mail; <c>email</c> when absent (Entra ID: <c>preferred_username</c>).</param>
/// <param name="RequireVerifiedEmail">Refuse tokens whose <c>email_verified</c> is not true (default true).</param>
/// <param name="EmailDomains">The workspace's e-mail domains (e.g. <c>example.com</c>); each belongs to one workspace.</param>
/// <param name="ProvisionAgents">Create an agent on first sign-in when none has the e-mail and its domain is listed.</param>
/// <param name="ProvisionRole">agent or supervisor: the role of provisioned agents.</param>
/// <param name="EnforceSso">Refuse password sign-in to the workspace's agents and supervisors; admins keep it.</param>
public sealed record UpdateSsoSettingsRequest(
    bool Enabled,
    [property: MaxLength(200)] string? DisplayName,
    [property: MaxLength(500)] string? Authority,
    [property: MaxLength(200)] string? ClientId,
    [property: MaxLength(2000)] string? ClientSecret = null,
    [property: MaxLength(100)] string? EmailClaim = null,
    bool RequireVerifiedEmail = true,
    [property: MaxLength(20)] string[]? EmailDomains = null,
    bool ProvisionAgents = false,
    AgentRole ProvisionRole = AgentRole.Agent,
    bool EnforceSso = false);
