using System.Globalization;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// The query string every report takes. Unknown names are refused rather than ignored: a misspelt filter would
/// otherwise answer for the whole workspace and look right.
/// </summary>
/// <param name="From">Start, ISO 8601 (a date alone is midnight UTC); default seven days before <paramref name="To"/>.</param>
/// <param name="To">End (exclusive); default the end of the current hour.</param>
/// <param name="Inbox">An inbox id.</param>
/// <param name="Channel">A channel: <c>web_widget</c>, <c>email</c>, <c>wechat_official_account</c>, <c>wecom</c>, <c>mini_program</c>, <c>api</c>.</param>
/// <param name="Team">A team id.</param>
/// <param name="Agent">An agent id (the conversation's last holder).</param>
/// <param name="Tag">A contact tag.</param>
/// <param name="Tz">An IANA time zone for days and hours of the week (default UTC).</param>
public sealed record ReportParameters(string? From, string? To, string? Inbox, string? Channel, string? Team, string? Agent, string? Tag, string? Tz);

/// <summary>A validated report request: whole hours, UTC, and the inboxes the caller may read.</summary>
internal sealed record ReportScope(
    Guid TenantId, DateTime From, DateTime To, IReadOnlyList<Guid>? Inboxes, Guid? Team, Guid? Agent, string? Tag, TimeZoneInfo Zone)
{
    /// <summary>The period as long just before this one, for comparison.</summary>
    public ReportScope Previous => this with { From = From - (To - From), To = From };
}

/// <summary>Parses and checks <see cref="ReportParameters"/> against the caller's workspace and access.</summary>
internal static class ReportQuery
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase) { "from", "to", "inbox", "channel", "team", "agent", "tag", "tz" };

    public static async Task<(ReportScope? Scope, KefuError? Error)> ParseAsync(
        KefuDbContext db, AgentAccess access, ReportParameters p, IQueryCollection query, IEnumerable<string> extra, DateTime now, int maxDays,
        CancellationToken cancellationToken)
    {
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k) && !extra.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return (null, AnalyticsErrors.UnknownFilter(unknown));
        }

        if (Zone(p.Tz) is not { } zone)
        {
            return (null, AnalyticsErrors.InvalidFilter("tz"));
        }

        var end = FactTimeline.HourOf(now).AddHours(1);
        if (!Time(p.To, end, out var to) || !Time(p.From, to.AddDays(-7), out var from))
        {
            return (null, AnalyticsErrors.InvalidRange(p.To is not null && !Time(p.To, end, out _) ? "to" : "from"));
        }

        // Whole hours: the rollups' grain. A range that ends inside an hour takes that hour whole.
        from = FactTimeline.HourOf(from);
        to = FactTimeline.HourOf(to) == to ? to : FactTimeline.HourOf(to).AddHours(1);
        if (from >= to)
        {
            return (null, AnalyticsErrors.InvalidRange("from"));
        }

        if (to - from > TimeSpan.FromDays(maxDays))
        {
            return (null, AnalyticsErrors.RangeTooLong(maxDays));
        }

        var (inboxes, inboxError) = await InboxesAsync(db, access, p, cancellationToken);
        if (inboxError is not null)
        {
            return (null, inboxError);
        }

        var (team, teamError) = await IdAsync(p.Team, "team", id => db.Teams.AnyAsync(t => t.Id == id && t.TenantId == access.TenantId, cancellationToken));
        var (agent, agentError) = await IdAsync(p.Agent, "agent", id => db.Users.AnyAsync(u => u.Id == id && u.TenantId == access.TenantId, cancellationToken));
        if ((teamError ?? agentError) is { } error)
        {
            return (null, error);
        }

        if (p.Tag is { } tag && (tag.Trim().Length is 0 or > 50 || tag.Contains(' ', StringComparison.Ordinal)))
        {
            return (null, AnalyticsErrors.InvalidFilter("tag"));
        }

        return (new ReportScope(access.TenantId, from, to, inboxes, team, agent, p.Tag?.Trim(), zone), null);
    }

    /// <summary>
    /// The inboxes to report on: null for all (a caller limited to some inboxes always gets their list). An inbox of
    /// another workspace, or one the caller may not use, is "not found".
    /// </summary>
    private static async Task<(IReadOnlyList<Guid>? Inboxes, KefuError? Error)> InboxesAsync(
        KefuDbContext db, AgentAccess access, ReportParameters p, CancellationToken cancellationToken)
    {
        ChannelType? channel = null;
        if (p.Channel is { } name)
        {
            if (!Enum.TryParse<ChannelType>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) || int.TryParse(name, out _))
            {
                return (null, AnalyticsErrors.InvalidFilter("channel"));
            }

            channel = parsed;
        }

        Guid? inbox = null;
        if (p.Inbox is not null)
        {
            if (!Guid.TryParse(p.Inbox, out var id))
            {
                return (null, AnalyticsErrors.InvalidFilter("inbox"));
            }

            inbox = id;
        }

        if (inbox is { } one && (!access.MayUseInbox(one) || !await db.Inboxes.AnyAsync(i => i.Id == one && i.TenantId == access.TenantId, cancellationToken)))
        {
            return (null, AnalyticsErrors.InboxNotFound);
        }

        if (inbox is null && channel is null && access.Inboxes is null)
        {
            return (null, null);
        }

        var ids = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == access.TenantId)
            .Where(i => inbox == null || i.Id == inbox).Where(i => channel == null || i.Channel == channel)
            .Select(i => i.Id).ToListAsync(cancellationToken);
        return ([.. ids.Where(access.MayUseInbox)], null);
    }

    private static async Task<(Guid? Id, KefuError? Error)> IdAsync(string? value, string field, Func<Guid, Task<bool>> exists)
    {
        if (value is null)
        {
            return (null, null);
        }

        if (!Guid.TryParse(value, out var id))
        {
            return (null, AnalyticsErrors.InvalidFilter(field));
        }

        return await exists(id) ? (id, null) : (null, AnalyticsErrors.NotFound(field));
    }

    private static bool Time(string? value, DateTime fallback, out DateTime result)
    {
        result = fallback;
        if (value is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) || parsed.Year < 2000 || parsed.Year > 9000)
        {
            return false;
        }

        result = parsed.UtcDateTime;
        return true;
    }

    private static TimeZoneInfo? Zone(string? id)
    {
        if (id is null)
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }
}
