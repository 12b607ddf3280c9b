using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>A skill with its level.</summary>
/// <param name="Name">The skill, e.g. <c>en</c> or <c>billing</c>.</param>
/// <param name="Level">1–10.</param>
public sealed record SkillLevel(string Name, int Level);

/// <summary>One weekly shift in the agent's time zone.</summary>
/// <param name="Day">The day it starts: <c>mon</c> … <c>sun</c>.</param>
/// <param name="Start">Start, <c>HH:mm</c>.</param>
/// <param name="End">End, <c>HH:mm</c>; before <paramref name="Start"/> when it runs past midnight.</param>
public sealed record ShiftDto(string Day, string Start, string End);

/// <summary>Everything people managers edit about one person.</summary>
/// <param name="Id">User id.</param>
/// <param name="Email">Sign-in e-mail.</param>
/// <param name="DisplayName">Name shown to visitors.</param>
/// <param name="Role"><c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id.</param>
/// <param name="Inboxes">Inboxes they are limited to; empty for all.</param>
/// <param name="Teams">Teams they belong to.</param>
/// <param name="Status"><c>active</c>, <c>invited</c> (no password set yet) or <c>deactivated</c>.</param>
/// <param name="Presence">The presence they chose; <c>offline</c> when no connection is open.</param>
/// <param name="LastSignInAt">When their latest session started, if ever.</param>
/// <param name="Capacity">Conversations at once.</param>
/// <param name="Skills">Skills with levels.</param>
/// <param name="Shifts">Weekly shifts; empty means always on shift.</param>
/// <param name="TimeZone">IANA time zone of the shifts.</param>
public sealed record AgentDetailsDto(
    Guid Id, string Email, string DisplayName, string Role, IReadOnlyList<Guid> Inboxes, IReadOnlyList<Guid> Teams, string Status,
    PresenceState Presence, DateTimeOffset? LastSignInAt, int Capacity, IReadOnlyList<SkillLevel> Skills, IReadOnlyList<ShiftDto> Shifts, string TimeZone);

/// <summary><c>GET /api/v1/agents/{id}</c>: one person of the workspace with their access and routing profile.</summary>
internal sealed class GetAgent(IDbContextFactory<KefuDbContext> dbs, PeopleGuard guard, IAgentPresence presence, TimeProvider time)
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/agents/{id:guid}", async Task<Results<Ok<AgentDetailsDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetAgent handler, CancellationToken ct) =>
            {
                var (agent, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(agent!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.People))
            .WithName("GetAgent")
            .WithTags("Agents");

    public async Task<(AgentDetailsDto? Agent, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (await guard.ManagerAsync(caller, ct) is null)
        {
            return (null, PeopleErrors.Forbidden);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.TenantId == caller.TenantId, ct);
        if (user is null)
        {
            return (null, PeopleErrors.AgentNotFound);
        }

        await AgentProfiles.EnsureAsync(db, caller.TenantId, time.GetUtcNow().UtcDateTime, ct);
        var profile = await db.AgentProfiles.AsNoTracking().FirstAsync(p => p.UserId == id, ct);
        var inboxes = await db.AgentInboxAccess.AsNoTracking().Where(a => a.UserId == id).Select(a => a.InboxId).ToListAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == id).Select(m => m.TeamId).ToListAsync(ct);
        var lastSignIn = await db.AgentSessions.AsNoTracking().Where(s => s.UserId == id).OrderByDescending(s => s.CreatedAt).Select(s => (DateTime?)s.CreatedAt).FirstOrDefaultAsync(ct);
        var shifts = WeeklyHours.TryParse(profile.Shifts, profile.ShiftTimeZone, "", out _);
        return (new AgentDetailsDto(
            user.Id, user.Email ?? "", user.DisplayName, user.CustomRoleId?.ToString() ?? user.Role.ToString().ToLowerInvariant(), inboxes, teams,
            PeopleStatus.Of(user.LockoutEnd, user.PasswordHash, lastSignIn),
            presence.IsConnected(id) ? profile.Presence : PresenceState.Offline,
            lastSignIn is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null,
            profile.Capacity,
            [.. SkillSet.Parse(profile.Skills).Levels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new SkillLevel(l.Key, l.Value))],
            shifts is null ? [] : [.. shifts.Ranges.Select(r => new ShiftDto(Days[(int)r.Day], Clock(r.From), Clock(r.To)))],
            profile.ShiftTimeZone), null);
    }

    private static string Clock(TimeSpan t) => t.ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The three states of a person, as lists and details show them.</summary>
internal static class PeopleStatus
{
    public const string Active = "active";
    public const string Invited = "invited";
    public const string Deactivated = "deactivated";

    /// <summary>
    /// Deactivated people are locked out with no end. Invited ones have no password and have never signed in
    /// (someone created by single sign-on has no password either, but has signed in).
    /// </summary>
    public static string Of(DateTimeOffset? lockoutEnd, string? passwordHash, DateTime? lastSignIn) =>
        lockoutEnd == DateTimeOffset.MaxValue ? Deactivated
        : passwordHash is null && lastSignIn is null ? Invited
        : Active;
}
