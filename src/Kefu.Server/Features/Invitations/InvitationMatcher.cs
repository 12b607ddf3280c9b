namespace Kefu.Server.Features.Invitations;

/// <summary>What the server knows about one visit when it decides on an invitation.</summary>
/// <param name="Url">The page's URL as the widget reports it.</param>
/// <param name="SecondsOnPage">Seconds since this page opened.</param>
/// <param name="PagesThisVisit">Pages opened in this visit, this one included.</param>
/// <param name="Returning">The contact existed before this visit began.</param>
/// <param name="Language"><c>en</c> or <c>zh</c>.</param>
/// <param name="Tags">The contact's tags.</param>
/// <param name="Attributes">The host page's attributes for the visitor.</param>
/// <param name="InsideHours">The inbox's business hours are open now.</param>
internal sealed record VisitContext(string Url, int SecondsOnPage, int PagesThisVisit, bool Returning, string Language,
    IReadOnlySet<string> Tags, IReadOnlyDictionary<string, string> Attributes, bool InsideHours);

/// <summary>The visitor's recent invitations: what the frequency cap reads.</summary>
/// <param name="LastShownAt">The latest invitation shown to the visitor in this inbox (any rule or agent).</param>
/// <param name="LastDismissedAt">The latest one they dismissed.</param>
/// <param name="ConversationOpen">The visitor has a conversation that is not resolved.</param>
internal sealed record InvitationHistory(DateTime? LastShownAt, DateTime? LastDismissedAt, bool ConversationOpen);

/// <summary>The pure decision: which rule, if any, invites now, and when asking again could change the answer.</summary>
internal static class InvitationMatcher
{
    /// <summary>
    /// The first enabled rule (in order) whose conditions hold and whose cap allows it; with none, the seconds until a
    /// rule that waits only for time on page could match (the widget asks again then), or null.
    /// </summary>
    public static (InvitationRule? Rule, int? CheckAgainInSeconds) Choose(IEnumerable<InvitationRule> rules, VisitContext visit, InvitationHistory history, DateTime now)
    {
        int? again = null;
        foreach (var rule in rules.Where(r => r.Enabled).OrderBy(r => r.Position))
        {
            if (!MatchesExceptTime(rule, visit) || !CapAllows(rule, history, now))
            {
                continue;
            }

            var wait = (rule.MinSecondsOnPage ?? 0) - visit.SecondsOnPage;
            if (wait <= 0)
            {
                return (rule, null);
            }

            again = again is null ? wait : Math.Min(again.Value, wait);
        }

        return (null, again);
    }

    /// <summary>Every condition of the rule but time on page.</summary>
    public static bool MatchesExceptTime(InvitationRule rule, VisitContext visit) =>
        (rule.UrlPattern is null || UrlPattern.Matches(rule.UrlPattern, visit.Url)) &&
        (rule.MinPagesVisited is null || visit.PagesThisVisit >= rule.MinPagesVisited) &&
        (rule.Returning is null || rule.Returning == visit.Returning) &&
        (rule.Language is null || string.Equals(rule.Language, visit.Language, StringComparison.OrdinalIgnoreCase)) &&
        (rule.Tag is null || visit.Tags.Contains(rule.Tag)) &&
        (rule.AttributeKey is null || (visit.Attributes.TryGetValue(rule.AttributeKey, out var value) && string.Equals(value, rule.AttributeValue, StringComparison.Ordinal))) &&
        (!rule.DuringBusinessHours || visit.InsideHours);

    /// <summary>Never during an open conversation; at most once per the rule's cap; not within its pause after a dismissal.</summary>
    public static bool CapAllows(InvitationRule rule, InvitationHistory history, DateTime now) =>
        !history.ConversationOpen &&
        (history.LastShownAt is not { } shown || now - shown >= TimeSpan.FromMinutes(rule.CapMinutes)) &&
        (history.LastDismissedAt is not { } dismissed || now - dismissed >= TimeSpan.FromMinutes(rule.DismissMinutes));
}

/// <summary>
/// URL patterns without regular expressions (so no pattern can backtrack without bound): <c>*</c> matches any run of
/// characters, everything else itself (case-insensitive); a pattern without <c>*</c> is a prefix. A pattern starting
/// with <c>/</c> is matched against the URL's path and query, any other against the whole URL.
/// </summary>
internal static class UrlPattern
{
    public static bool Matches(string pattern, string url)
    {
        var subject = url;
        if (pattern.StartsWith('/'))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return false;
            }

            subject = uri.PathAndQuery;
        }

        return pattern.Contains('*') ? Glob(pattern, subject) : subject.StartsWith(pattern, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The classic two-pointer wildcard match: at most pattern × subject steps, no recursion.</summary>
    private static bool Glob(string pattern, string subject)
    {
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < subject.Length)
        {
            if (p < pattern.Length && pattern[p] != '*' && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(subject[s]))
            {
                p++;
                s++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = s;
            }
            else if (star >= 0)
            {
                p = star + 1;
                s = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
