using System.Text.RegularExpressions;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>The saved settings, or the invalid fields, or the refusal.</summary>
internal sealed record SsoUpdateResult(SsoSettingsDto? Settings, Dictionary<string, string[]>? Errors, KefuError? Error);

/// <summary>
/// <c>PUT /api/v1/workspace/sso</c> (settings permission): replaces the caller's workspace's provider settings.
/// The secret is stored encrypted (Data Protection) and never returned; the change is audited (which fields
/// changed, never their values) in the same commit. Every node picks the new settings up at its next SSO request.
/// </summary>
internal sealed partial class UpdateSsoSettings(
    IDbContextFactory<KefuDbContext> dbFactory, SsoSchemes schemes, IAuditLog audit, IHostEnvironment environment, TimeProvider time)
{
    public static readonly KefuError DomainTaken = new("sso_domain_taken", "An e-mail domain given belongs to another workspace's single sign-on.");

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/workspace/sso", async Task<Results<Ok<SsoSettingsDto>, ValidationProblem, ProblemHttpResult>> (
                UpdateSsoSettingsRequest request, HttpContext http, UpdateSsoSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, request, GetSsoSettings.BaseUri(http.Request), ct) switch
                {
                    { Errors: { } errors } => TypedResults.ValidationProblem(errors),
                    { Error: { } error } => KefuProblems.Problem(error),
                    var result => TypedResults.Ok(result.Settings!),
                })
            .WithName("UpdateSsoSettings")
            .WithTags("Workspace")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    /// <summary>Saves the settings of <paramref name="admin"/>'s workspace (the console's page calls this too).</summary>
    public async Task<SsoUpdateResult> HandleAsync(AgentIdentity admin, UpdateSsoSettingsRequest request, Uri baseUri, CancellationToken ct)
    {
        var tenantId = admin.TenantId;
        var errors = Validate(request, out var domains);
        if (errors.Count > 0)
        {
            return new SsoUpdateResult(null, errors, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (domains.Length > 0 && await DomainsTakenAsync(db, tenantId, domains, ct))
        {
            return new SsoUpdateResult(null, null, DomainTaken);
        }

        var settings = await db.Set<SsoSettings>().FirstOrDefaultAsync(s => s.TenantId == tenantId, ct);
        var before = settings is null ? null : Snapshot(settings);
        if (settings is null)
        {
            settings = new SsoSettings { TenantId = tenantId };
            db.Add(settings);
        }

        settings.Enabled = request.Enabled;
        settings.DisplayName = SafeText.SingleLine(request.DisplayName ?? "");
        settings.Authority = request.Authority?.Trim() ?? "";
        settings.ClientId = request.ClientId?.Trim() ?? "";
        settings.EmailClaim = string.IsNullOrWhiteSpace(request.EmailClaim) ? "email" : request.EmailClaim.Trim();
        settings.RequireVerifiedEmail = request.RequireVerifiedEmail;
        settings.EmailDomains = string.Join(' ', domains);
        settings.ProvisionAgents = request.ProvisionAgents;
        settings.ProvisionRole = request.ProvisionRole;
        settings.EnforceSso = request.EnforceSso;
        var secretChanged = request.ClientSecret is not null;
        if (secretChanged)
        {
            settings.ProtectedClientSecret = request.ClientSecret!.Length == 0 ? null : schemes.Protect(request.ClientSecret);
        }

        settings.UpdatedAt = time.GetUtcNow().UtcDateTime;
        var changed = Changes(before, Snapshot(settings), secretChanged);
        // The actor is named here: from the console's circuit there is no HTTP request to default it from.
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "sso", tenantId.ToString(), "changed=" + changed)
        {
            TenantId = tenantId, ActorId = admin.UserId, ActorName = admin.DisplayName, Outcome = AuditOutcome.Succeeded,
        });
        await db.SaveChangesAsync(ct);
        return new SsoUpdateResult(GetSsoSettings.ToDto(settings, baseUri), null, null);
    }

    private Dictionary<string, string[]> Validate(UpdateSsoSettingsRequest request, out string[] domains)
    {
        var errors = new Dictionary<string, string[]>();
        domains = [.. (request.EmailDomains ?? []).Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).Distinct()];
        if (domains.FirstOrDefault(d => !DomainPattern().IsMatch(d)) is { } bad)
        {
            errors["emailDomains"] = [$"'{SafeText.SingleLine(bad)}' is not a domain such as example.com."];
        }

        if (request.EmailClaim is { Length: > 0 } claim && !ClaimPattern().IsMatch(claim.Trim()))
        {
            errors["emailClaim"] = ["emailClaim must be a claim name such as email or preferred_username."];
        }

        if (request.ProvisionRole is not (AgentRole.Agent or AgentRole.Supervisor))
        {
            // An admin created by whoever the provider vouches for could take the workspace over.
            errors["provisionRole"] = ["provisionRole must be agent or supervisor."];
        }

        if (request.ProvisionAgents && domains.Length == 0)
        {
            errors["emailDomains"] = ["Provisioning needs at least one e-mail domain to limit it to."];
        }

        if (request.EnforceSso && !request.Enabled)
        {
            errors["enforceSso"] = ["Single sign-on must be enabled to enforce it."];
        }

        if (request.Authority is { Length: > 0 } authority && SsoAuthority.Problem(authority.Trim(), environment) is { } problem)
        {
            errors["authority"] = [problem];
        }

        if (request.Enabled)
        {
            if (SafeText.SingleLine(request.DisplayName ?? "") is not { Length: > 0 and <= 100 })
            {
                errors["displayName"] = ["displayName must be 1-100 characters."];
            }

            if (string.IsNullOrWhiteSpace(request.Authority))
            {
                errors["authority"] = ["authority is required."];
            }

            if (string.IsNullOrWhiteSpace(request.ClientId))
            {
                errors["clientId"] = ["clientId is required."];
            }
        }

        return errors;
    }

    /// <summary>A domain names one workspace: the sign-in page must know where to send someone typing it.</summary>
    private static async Task<bool> DomainsTakenAsync(KefuDbContext db, Guid tenantId, string[] domains, CancellationToken ct)
    {
        var others = await db.Set<SsoSettings>().AsNoTracking().Where(s => s.TenantId != tenantId && s.EmailDomains != "")
            .Select(s => s.EmailDomains).ToListAsync(ct);
        return others.SelectMany(o => o.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Intersect(domains, StringComparer.OrdinalIgnoreCase).Any();
    }

    private static Dictionary<string, string> Snapshot(SsoSettings s) => new()
    {
        ["enabled"] = s.Enabled.ToString(), ["display_name"] = s.DisplayName, ["authority"] = s.Authority, ["client_id"] = s.ClientId,
        ["email_claim"] = s.EmailClaim, ["require_verified_email"] = s.RequireVerifiedEmail.ToString(), ["email_domains"] = s.EmailDomains,
        ["provision_agents"] = s.ProvisionAgents.ToString(), ["provision_role"] = s.ProvisionRole.ToString(), ["enforce_sso"] = s.EnforceSso.ToString(),
    };

    private static string Changes(Dictionary<string, string>? before, Dictionary<string, string> after, bool secretChanged)
    {
        var names = after.Where(kv => before is null || before[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        if (secretChanged)
        {
            names.Add("client_secret");
        }

        return names.Count == 0 ? "none" : string.Join(',', names);
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.:/-]{1,100}$")]
    private static partial Regex ClaimPattern();
}
