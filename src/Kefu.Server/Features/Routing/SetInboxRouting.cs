using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>An inbox's routing settings (all fields replace the current ones).</summary>
/// <param name="Strategy">roundRobin, leastBusy or longestIdle.</param>
/// <param name="Mode">manual, auto or offer.</param>
/// <param name="OfferTimeoutSeconds">5–600: how long an offered agent has to accept.</param>
/// <param name="RequiredSkills">Skills every agent needs: <c>en:3 vip</c>.</param>
/// <param name="TeamId">Route only to this team, or null.</param>
/// <param name="OverflowAfterMinutes">0–1440; after this wait also route to <paramref name="OverflowTeamId"/> (0 = never).</param>
/// <param name="OverflowTeamId">The team to widen to.</param>
/// <param name="ReturnToPreviousAgent">Returning visitors go to their previous agent when available.</param>
/// <param name="VipTags">Contact tags that go first: <c>vip</c>.</param>
/// <param name="TimeZone">IANA time zone of the business hours.</param>
/// <param name="BusinessHours">e.g. <c>mon-fri 09:00-18:00; sat 10:00-14:00</c>; empty = always open.</param>
/// <param name="Holidays">Closed dates <c>yyyy-MM-dd</c>, space separated.</param>
/// <param name="ClosedMessageEn">What the visitor is told outside business hours in English; empty for the built-in text.</param>
/// <param name="ClosedMessageZh">The same in Simplified Chinese.</param>
/// <param name="ClosedLeaveMessage">Outside business hours the conversation becomes a message to answer later (true) or waits in line until the inbox opens (false).</param>
public sealed record InboxRoutingRequest(
    RoutingStrategy Strategy = RoutingStrategy.RoundRobin, AssignmentMode Mode = AssignmentMode.Auto, int OfferTimeoutSeconds = 30,
    string? RequiredSkills = null, Guid? TeamId = null, int OverflowAfterMinutes = 0, Guid? OverflowTeamId = null,
    bool ReturnToPreviousAgent = true, string? VipTags = "vip", string? TimeZone = "UTC", string? BusinessHours = null, string? Holidays = null,
    string? ClosedMessageEn = null, string? ClosedMessageZh = null, bool ClosedLeaveMessage = true);

/// <summary><c>PUT /api/v1/inboxes/{id}/routing</c>: someone with the settings permission sets how an inbox routes. Bad input changes nothing.</summary>
internal sealed class SetInboxRouting(IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, RoutingSignal signal, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/routing", async Task<Results<Ok<InboxRoutingRequest>, ProblemHttpResult>> (
                Guid id, InboxRoutingRequest request, HttpContext http, SetInboxRouting handler, GetInboxRouting stored, CancellationToken ct) =>
            {
                var caller = AgentIdentity.From(http.User)!;
                var error = await handler.HandleAsync(caller, id, request, ct);
                return error is null ? TypedResults.Ok((await stored.HandleAsync(caller, id, ct)).Settings!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("SetInboxRouting")
            .WithTags("Routing");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid inboxId, InboxRoutingRequest r, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return RoutingErrors.Forbidden;
        }

        if (InboxRoutingRules.Validate(r) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId, cancellationToken))
        {
            return RoutingErrors.InboxNotFound;
        }

        var teams = new[] { r.TeamId, r.OverflowTeamId }.OfType<Guid>().Distinct().ToList();
        if (await db.Teams.CountAsync(t => teams.Contains(t.Id) && t.TenantId == caller.TenantId, cancellationToken) != teams.Count)
        {
            return RoutingErrors.TeamNotFound with { Field = r.TeamId is { } t && teams.Contains(t) ? "teamId" : "overflowTeamId" };
        }

        if (r.Mode != AssignmentMode.Manual && !await AnyAgentMatchesAsync(db, caller.TenantId, r, cancellationToken))
        {
            return RoutingErrors.RuleMatchesNothing with { Field = "requiredSkills" };
        }

        var row = await db.InboxRoutings.FirstOrDefaultAsync(x => x.InboxId == inboxId, cancellationToken);
        if (row is null)
        {
            row = InboxRouting.Default(caller.TenantId, inboxId);
            db.InboxRoutings.Add(row);
        }

        row.Strategy = r.Strategy;
        row.Mode = r.Mode;
        row.OfferTimeoutSeconds = r.OfferTimeoutSeconds;
        row.RequiredSkills = SkillSet.Parse(r.RequiredSkills).ToString();
        row.TeamId = r.TeamId;
        row.OverflowAfterMinutes = r.OverflowAfterMinutes;
        row.OverflowTeamId = r.OverflowTeamId;
        row.ReturnToPreviousAgent = r.ReturnToPreviousAgent;
        row.VipTags = ContactTags.Join(ContactTags.TryNormalize(ContactTags.Split(r.VipTags), out _)!);
        row.TimeZone = string.IsNullOrWhiteSpace(r.TimeZone) ? "UTC" : r.TimeZone.Trim();
        row.BusinessHours = OpeningHours.Format(OpeningHours.TryParse(r.BusinessHours, out _)!);
        row.Holidays = OpeningHours.FormatDates(OpeningHours.TryParseDates(r.Holidays, out _)!);
        row.ClosedMessageEn = SafeText.MultiLine(r.ClosedMessageEn);
        row.ClosedMessageZh = SafeText.MultiLine(r.ClosedMessageZh);
        row.ClosedLeaveMessage = r.ClosedLeaveMessage;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), Changes(db, row)).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        signal.Notify();
        return null;
    }

    /// <summary>The names of the routing settings this request changes (never their values), or "created".</summary>
    private static string Changes(KefuDbContext db, InboxRouting row)
    {
        db.ChangeTracker.DetectChanges();
        var entry = db.Entry(row);
        if (entry.State == EntityState.Added)
        {
            return "routing created";
        }

        var changed = entry.Properties.Where(p => p.IsModified).Select(p => char.ToLowerInvariant(p.Metadata.Name[0]) + p.Metadata.Name[1..]).ToList();
        return "routing changed=" + (changed.Count == 0 ? "none" : string.Join(',', changed));
    }

    /// <summary>A team and skills no agent of the workspace has would leave every visitor waiting forever.</summary>
    private async Task<bool> AnyAgentMatchesAsync(KefuDbContext db, Guid tenantId, InboxRoutingRequest r, CancellationToken cancellationToken)
    {
        var required = SkillSet.Parse(r.RequiredSkills);
        return (await agents.LoadAsync(db, tenantId, cancellationToken)).Any(a =>
            a.Skills.Covers(required) && (r.TeamId is not { } team || a.Teams.Contains(team) || r.OverflowTeamId is { } o && a.Teams.Contains(o)));
    }
}
