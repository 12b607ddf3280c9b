using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>An agent's routing profile. Null fields stay as they are.</summary>
/// <param name="Capacity">
/// Conversations at once, 1–100 for someone whose role lets them take conversations; 0 only for roles without any
/// conversation permission (an auditor, a workspace owner who never answers).
/// </param>
/// <param name="Skills">Skills with levels: <c>en:5 zh:3 vip</c>.</param>
/// <param name="Shifts">Weekly shifts: <c>mon-fri 09:00-17:00; sat 10:00-14:00</c>, in <paramref name="TimeZone"/>; no two may overlap.</param>
/// <param name="TimeZone">IANA time zone of the shifts, e.g. <c>Asia/Shanghai</c>.</param>
/// <param name="TeamIds">Teams, replacing the current ones.</param>
public sealed record AgentRoutingRequest(int? Capacity, string? Skills, string? Shifts, string? TimeZone, IReadOnlyList<Guid>? TeamIds);

/// <summary><c>PUT /api/v1/agents/{id}/routing</c>: someone with the People permission sets capacity, skills, shifts and teams. Bad input changes nothing.</summary>
internal sealed class UpdateAgentRouting(IDbContextFactory<KefuDbContext> dbFactory, RoutingSignal signal, TimeProvider time, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/agents/{id:guid}/routing", async Task<Results<NoContent, ProblemHttpResult>> (
                Guid id, AgentRoutingRequest request, HttpContext http, UpdateAgentRouting handler, CancellationToken ct) =>
            {
                var error = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.NoContent() : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("UpdateAgentRouting")
            .WithTags("Agents");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid agentId, AgentRoutingRequest request, CancellationToken cancellationToken)
    {
        var workspace = await access.GetWorkspaceAsync(caller.TenantId, agentId, cancellationToken);
        if (workspace.For(caller)?.Has(Permission.People) != true)
        {
            return RoutingErrors.Forbidden;
        }

        if (Validate(request, workspace.For(agentId)) is { } invalid)
        {
            return invalid;
        }

        var shifts = request.Shifts is null ? null : WeeklyHours.TryParse(request.Shifts, request.TimeZone, "", out _);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await AgentProfiles.EnsureAsync(db, caller.TenantId, time.GetUtcNow().UtcDateTime, cancellationToken);
        var profile = await db.AgentProfiles.FirstOrDefaultAsync(p => p.UserId == agentId && p.TenantId == caller.TenantId, cancellationToken);
        if (profile is null)
        {
            return RoutingErrors.AgentNotFound;
        }

        var teams = request.TeamIds?.Distinct().ToList();
        if (teams is not null && await db.Teams.CountAsync(t => teams.Contains(t.Id) && t.TenantId == caller.TenantId, cancellationToken) != teams.Count)
        {
            return RoutingErrors.TeamNotFound with { Field = "teamIds" };
        }

        profile.Capacity = request.Capacity ?? profile.Capacity;
        profile.Skills = request.Skills is null ? profile.Skills : SkillSet.Parse(request.Skills).ToString();
        profile.Shifts = request.Shifts?.Trim() ?? profile.Shifts;
        profile.ShiftTimeZone = request.Shifts is null ? profile.ShiftTimeZone : shifts!.Zone.Id;
        if (teams is not null)
        {
            db.TeamMembers.RemoveRange(db.TeamMembers.Where(m => m.UserId == agentId));
            db.TeamMembers.AddRange(teams.Select(t => new TeamMember { TeamId = t, UserId = agentId }));
        }

        audit.Add(db, new AuditRecord(AuditActions.AgentUpdated, "agent", agentId.ToString(), Changes(db, profile, teams)).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        if (teams is not null)
        {
            access.Invalidate(caller.TenantId); // team scope reads memberships from the snapshot
        }

        signal.Notify();
        return null;
    }

    /// <summary>Every rule of the request, before anything is read or written; the error names the field at fault.</summary>
    private static KefuError? Validate(AgentRoutingRequest request, AgentAccess? agent)
    {
        if (!SafeText.IsSingleLine(request.Shifts))
        {
            return RoutingErrors.Invalid("shifts may not contain control or bidirectional characters.") with { Field = "shifts" };
        }

        if (!SafeText.IsSingleLine(request.TimeZone))
        {
            return RoutingErrors.Invalid("timeZone may not contain control or bidirectional characters.") with { Field = "timeZone" };
        }

        // Someone who takes conversations with capacity 0 is online and routable yet never gets one: a silent black hole.
        var takesConversations = agent is null || agent.Scope != ConversationScope.None;
        if (request.Capacity is { } capacity && (capacity > 100 || capacity < (takesConversations ? 1 : 0)))
        {
            return RoutingErrors.Invalid(takesConversations
                ? "capacity must be between 1 and 100 for someone who takes conversations."
                : "capacity must be between 0 and 100.") with { Field = "capacity" };
        }

        if (request.Skills is not null && (SkillSet.TryParse(request.Skills, out var skillError) is not { } skills || skills.ToString().Length > 1000))
        {
            return RoutingErrors.Invalid(skillError ?? "skills may be 1,000 characters.") with { Field = "skills" };
        }

        if (request.TeamIds is { Count: > 100 })
        {
            return RoutingErrors.Invalid("an agent may belong to at most 100 teams.") with { Field = "teamIds" };
        }

        if (request.Shifts is null)
        {
            return request.TimeZone is null || TimeZoneInfo.TryFindSystemTimeZoneById(request.TimeZone.Trim(), out _)
                ? null
                : RoutingErrors.Invalid($"Unknown time zone '{SafeText.SingleLine(request.TimeZone)}'.") with { Field = "timeZone" };
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim(), out _))
        {
            return RoutingErrors.Invalid($"Unknown time zone '{SafeText.SingleLine(request.TimeZone)}'.") with { Field = "timeZone" };
        }

        if (request.Shifts.Trim().Length > 1000)
        {
            return RoutingErrors.Invalid("shifts may be 1,000 characters.") with { Field = "shifts" };
        }

        if (WeeklyHours.TryParse(request.Shifts, request.TimeZone, "", out var shiftError) is not { } shifts)
        {
            return RoutingErrors.Invalid(shiftError!) with { Field = "shifts" };
        }

        return ShiftOverlap.Find(shifts.Ranges) is { } overlap
            ? RoutingErrors.Invalid($"Shifts overlap: {overlap}. Merge them into one.") with { Field = "shifts" }
            : null;
    }

    /// <summary>Which routing settings changed, by name, and the team count: never the skill or shift text itself.</summary>
    private static string Changes(KefuDbContext db, AgentProfile profile, List<Guid>? teams)
    {
        db.ChangeTracker.DetectChanges();
        var changed = db.Entry(profile).Properties.Where(p => p.IsModified)
            .Select(p => char.ToLowerInvariant(p.Metadata.Name[0]) + p.Metadata.Name[1..]).ToList();
        var detail = "routing changed=" + (changed.Count == 0 ? "none" : string.Join(',', changed));
        return teams is null ? detail : $"{detail}; teams={teams.Count}";
    }
}
