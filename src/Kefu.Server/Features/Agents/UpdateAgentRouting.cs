using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Agents;

/// <summary>An agent's routing profile. Null fields stay as they are.</summary>
/// <param name="Capacity">Conversations at once, 0–100 (0: takes none).</param>
/// <param name="Skills">Skills with levels: <c>en:5 zh:3 vip</c>.</param>
/// <param name="Shifts">Weekly shifts: <c>mon-fri 09:00-17:00</c>, in <paramref name="TimeZone"/>.</param>
/// <param name="TimeZone">IANA time zone of the shifts.</param>
/// <param name="TeamIds">Teams, replacing the current ones.</param>
public sealed record AgentRoutingRequest(int? Capacity, string? Skills, string? Shifts, string? TimeZone, IReadOnlyList<Guid>? TeamIds);

/// <summary><c>PUT /api/v1/agents/{id}/routing</c>: a supervisor or admin sets capacity, skills, shifts and teams. Bad input changes nothing.</summary>
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
        if (!await access.AllowsAsync(caller, Permission.People, cancellationToken))
        {
            return RoutingErrors.Forbidden;
        }

        if (!Hosting.SafeText.IsSingleLine(request.Shifts) || !Hosting.SafeText.IsSingleLine(request.TimeZone))
        {
            return RoutingErrors.Invalid("shifts and timeZone may not contain control or bidirectional characters.");
        }

        if (request.Capacity is < 0 or > 100)
        {
            return RoutingErrors.Invalid("capacity must be between 0 and 100.");
        }

        if (request.Skills is not null && SkillSet.TryParse(request.Skills, out var skillError) is null)
        {
            return RoutingErrors.Invalid(skillError!);
        }

        // The stored columns are bounded: a valid but very long list must be refused here, not fail in the database.
        if (request.Skills is not null && SkillSet.Parse(request.Skills).ToString().Length > 1000 ||
            request.Shifts?.Trim().Length > 1000 || request.TeamIds is { Count: > 100 })
        {
            return RoutingErrors.Invalid("skills and shifts may be 1,000 characters, and an agent at most 100 teams.");
        }

        string? shiftError = null;
        var shifts = request.Shifts is null ? null : WeeklyHours.TryParse(request.Shifts, request.TimeZone, "", out shiftError);
        if (request.Shifts is not null && shifts is null)
        {
            return RoutingErrors.Invalid(shiftError!);
        }

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
            return RoutingErrors.TeamNotFound;
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
        signal.Notify();
        return null;
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
