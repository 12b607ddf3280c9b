using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>The targets a ticket's clock runs on, with the calendar already chosen.</summary>
internal sealed record SlaTerms(int? FirstReplyMinutes, int? NextReplyMinutes, int? ResolutionMinutes, int WarnBeforeMinutes, WeeklyHours Hours);

/// <summary>
/// Which SLA policy a ticket runs on, loaded once per operation and workspace (a few rows): a rule of one of its tags
/// (the rule made first, when several of its tags have one), else the rule of its inbox, else the policy of its
/// priority, else none. The calendar is the policy's own weekly hours and holidays, or, with <c>useInboxHours</c>, the
/// ticket's inbox's opening hours and holidays (routing's calendar, read through <see cref="IInboxHours"/>); empty
/// hours mean calendar time.
/// </summary>
internal sealed class SlaPolicyResolver
{
    private static readonly SlaPolicyResolver None = new([], [], new Dictionary<Guid, WeeklyHours>());
    private readonly Dictionary<TicketPriority, SlaPolicy> _priorities;
    private readonly List<SlaRule> _rules;
    private readonly IReadOnlyDictionary<Guid, WeeklyHours> _inboxHours;

    private SlaPolicyResolver(List<SlaPolicy> priorities, List<SlaRule> rules, IReadOnlyDictionary<Guid, WeeklyHours> inboxHours)
    {
        _priorities = priorities.ToDictionary(p => p.Priority);
        _rules = rules;
        _inboxHours = inboxHours;
    }

    public static async Task<SlaPolicyResolver> LoadAsync(KefuDbContext db, Guid tenantId, IInboxHours inboxHours, CancellationToken ct)
    {
        var priorities = await db.Set<SlaPolicy>().AsNoTracking().Where(p => p.TenantId == tenantId).ToListAsync(ct);
        var rules = await db.Set<SlaRule>().AsNoTracking().Where(r => r.TenantId == tenantId).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        if (priorities.Count == 0 && rules.Count == 0)
        {
            return None;
        }

        var calendars = priorities.Any(p => p.UseInboxHours) || rules.Any(r => r.UseInboxHours)
            ? await inboxHours.ForWorkspaceAsync(tenantId, ct)
            : new Dictionary<Guid, WeeklyHours>();
        return new SlaPolicyResolver(priorities, rules, calendars);
    }

    /// <summary>The terms for a ticket of this priority, tags (space separated) and inbox; null when no policy applies.</summary>
    public SlaTerms? For(TicketPriority priority, string tags, Guid? inboxId)
    {
        var tagList = TicketRules.Split(tags);
        if (_rules.FirstOrDefault(r => r.Tag is { } tag && tagList.Contains(tag)) is { } byTag)
        {
            return Terms(byTag.FirstReplyMinutes, byTag.NextReplyMinutes, byTag.ResolutionMinutes, byTag.WarnBeforeMinutes, byTag.BusinessHours, byTag.TimeZone, byTag.Holidays, byTag.UseInboxHours, inboxId);
        }

        if (inboxId is { } inbox && _rules.FirstOrDefault(r => r.InboxId == inbox) is { } byInbox)
        {
            return Terms(byInbox.FirstReplyMinutes, byInbox.NextReplyMinutes, byInbox.ResolutionMinutes, byInbox.WarnBeforeMinutes, byInbox.BusinessHours, byInbox.TimeZone, byInbox.Holidays, byInbox.UseInboxHours, inboxId);
        }

        return _priorities.GetValueOrDefault(priority) is { } p
            ? Terms(p.FirstReplyMinutes, p.NextReplyMinutes, p.ResolutionMinutes, p.WarnBeforeMinutes, p.BusinessHours, p.TimeZone, p.Holidays, p.UseInboxHours, inboxId)
            : null;
    }

    public SlaTerms? For(Ticket t) => For(t.Priority, t.Tags, t.InboxId);

    private SlaTerms Terms(int? first, int? next, int? resolution, int warn, string hours, string zone, string holidays, bool useInbox, Guid? inboxId) =>
        new(first, next, resolution, warn,
            useInbox && inboxId is { } id && _inboxHours.TryGetValue(id, out var inboxCalendar) ? inboxCalendar : WeeklyHours.Parse(hours, zone, holidays));
}
