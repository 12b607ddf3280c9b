using System.Globalization;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>The filters of <c>GET /api/v1/audit</c> and its export, as sent. Every one is optional.</summary>
/// <param name="From">Earliest time, inclusive: ISO 8601, UTC unless it carries an offset.</param>
/// <param name="To">Latest time, exclusive. At most a year after <paramref name="From"/>.</param>
/// <param name="Action">An action (<c>auth.signed_in</c>), or a prefix ending in a dot (<c>auth.</c>).</param>
/// <param name="ActorId">Who acted (a user id).</param>
/// <param name="TargetType">The kind of object acted on (<c>agent</c>, <c>inbox</c>…).</param>
/// <param name="TargetId">Its id; needs <paramref name="TargetType"/>.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c> or <c>denied</c>.</param>
public sealed record AuditFilterInput(string? From, string? To, string? Action, string? ActorId, string? TargetType, string? TargetId, string? Outcome);

/// <summary>A validated audit filter: a time window of at most a year and exact values, applied within one workspace.</summary>
internal sealed partial record AuditFilter(
    DateTime From, DateTime? To, string? Action, bool ActionIsPrefix, Guid? ActorId, string? TargetType, string? TargetId, AuditOutcome? Outcome)
{
    /// <summary>The widest window one query may cover (a leap year and a little).</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(366);

    /// <summary>The window used when no <c>from</c> is given: the year before <c>to</c> (or now).</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(365);

    /// <summary>Everything of the last year.</summary>
    public static AuditFilter LastYear(DateTime now) => new(now - DefaultSpan, null, null, false, null, null, null, null);

    /// <summary>Validates <paramref name="input"/>; the error names the parameter at fault.</summary>
    public static (AuditFilter? Filter, KefuError? Error) Parse(AuditFilterInput input, DateTime now)
    {
        // An empty parameter (?action=) is an unset one, as a form with an empty field sends it.
        input = new AuditFilterInput(Set(input.From), Set(input.To), Set(input.Action), Set(input.ActorId), Set(input.TargetType),
            Set(input.TargetId), Set(input.Outcome));
        if (!TryTime(input.From, out var from) || !TryTime(input.To, out var to))
        {
            return (null, Invalid("from and to must be ISO 8601 times, e.g. 2026-11-30T08:00:00Z."));
        }

        if (from > to)
        {
            return (null, Invalid("to must not be before from."));
        }

        var start = from ?? (to ?? now) - DefaultSpan;
        if ((to ?? now) - start > MaxSpan)
        {
            return (null, Invalid("from and to may be at most one year apart (without to: from at most one year ago)."));
        }

        if (input.Action is { } action && !ActionPattern().IsMatch(action))
        {
            return (null, Invalid("action must be an action name (auth.signed_in) or a prefix ending in a dot (auth.)."));
        }

        Guid? actor = null;
        if (input.ActorId is not null)
        {
            if (!Guid.TryParse(input.ActorId, out var parsed))
            {
                return (null, Invalid("actorId must be a user id."));
            }

            actor = parsed;
        }

        if (input.TargetType is { } type && !TargetTypePattern().IsMatch(type) ||
            input.TargetId is { } id && (input.TargetType is null || !TargetIdPattern().IsMatch(id)))
        {
            return (null, Invalid("targetType must be a kind of object (agent, inbox…), and targetId an id, given with targetType."));
        }

        AuditOutcome? outcome = null;
        if (input.Outcome is { } text)
        {
            if (!Enum.TryParse<AuditOutcome>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(text[0]))
            {
                return (null, Invalid("outcome must be succeeded, failed or denied."));
            }

            outcome = parsed;
        }

        var prefix = input.Action?.EndsWith('.') == true;
        return (new AuditFilter(start, to, input.Action, prefix, actor, input.TargetType, input.TargetId, outcome), null);
    }

    /// <summary>The workspace's entries this filter keeps (unordered).</summary>
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> entries, Guid tenantId)
    {
        // TenantId and OccurredAt first, in the order of the (TenantId, [Action,] OccurredAt) indexes.
        var query = entries.Where(e => e.TenantId == tenantId && e.OccurredAt >= From);
        if (To is { } to)
        {
            query = query.Where(e => e.OccurredAt < to);
        }

        if (Action is { } action)
        {
            query = ActionIsPrefix ? query.Where(e => e.Action.StartsWith(action)) : query.Where(e => e.Action == action);
        }

        if (ActorId is { } actor)
        {
            query = query.Where(e => e.ActorId == actor);
        }

        if (TargetType is { } type)
        {
            query = query.Where(e => e.TargetType == type);
        }

        if (TargetId is { } id)
        {
            query = query.Where(e => e.TargetId == id);
        }

        if (Outcome is { } outcome)
        {
            query = query.Where(e => e.Outcome == outcome);
        }

        return query;
    }

    /// <summary>
    /// The filter for an audit entry's detail: names and ids only. A target id that is not a GUID could be anything
    /// a person typed (a phone number), so it is only said to be there.
    /// </summary>
    public string Describe()
    {
        var parts = new List<string> { "from=" + Time(From) };
        if (To is { } to)
        {
            parts.Add("to=" + Time(to));
        }

        if (Action is not null)
        {
            parts.Add("action=" + Action);
        }

        if (ActorId is { } actor)
        {
            parts.Add("actorId=" + actor);
        }

        if (TargetType is not null)
        {
            parts.Add("targetType=" + TargetType);
        }

        if (TargetId is not null)
        {
            parts.Add("targetId=" + (Guid.TryParse(TargetId, out var id) ? id.ToString() : "(given)"));
        }

        if (Outcome is { } outcome)
        {
            parts.Add("outcome=" + outcome.ToString().ToLowerInvariant());
        }

        return string.Join("; ", parts);
    }

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out DateTime? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        value = parsed.UtcDateTime;
        return true;
    }

    private static string? Set(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static KefuError Invalid(string message) => new("invalid_audit_filter", message);

    [GeneratedRegex("^(?=.{1,60}$)[a-z][a-z_]*(\\.[a-z_]+)*\\.?$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("^[a-z][a-z_]{0,39}$")]
    private static partial Regex TargetTypePattern();

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex TargetIdPattern();
}
