using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Invitations;

/// <summary>What a rule's invitations led to.</summary>
/// <param name="Shown">Invitations shown.</param>
/// <param name="Accepted">Opened by the visitor.</param>
/// <param name="Dismissed">Closed by the visitor.</param>
/// <param name="Converted">Followed by a message from the visitor within the conversion window.</param>
public sealed record InvitationCounts(int Shown, int Accepted, int Dismissed, int Converted);

/// <summary>A stored rule with its counts.</summary>
public sealed record InvitationRuleDto(Guid Id, string Name, bool Enabled, string? UrlPattern, int? MinSecondsOnPage, int? MinPagesVisited, bool? Returning,
    string? Tag, string? AttributeKey, string? AttributeValue, string? Language, bool DuringBusinessHours, string TextEn, string TextZh, bool OpenWidget,
    int CapMinutes, int DismissMinutes, InvitationCounts Counts);

/// <summary>An inbox's rules in order, and the counts of the invitations agents sent by hand.</summary>
public sealed record InvitationRulesDto(Guid InboxId, IReadOnlyList<InvitationRuleDto> Rules, InvitationCounts ByAgents);

/// <summary>A widget inbox in the console's picker.</summary>
public sealed record InboxOption(Guid Id, string Name);

/// <summary><c>GET /api/v1/inboxes/{id}/invitation-rules</c>: the rules with shown, accepted, dismissed and converted per rule.</summary>
internal sealed class ListInvitationRules(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IOptions<InvitationsOptions> options)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/invitation-rules", async Task<Results<Ok<InvitationRulesDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, ListInvitationRules handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("ListInvitationRules")
            .WithTags("Invitations");

    public async Task<(InvitationRulesDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, InvitationErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == agent.TenantId && i.Channel == ChannelType.WebWidget, cancellationToken)
            ? (await ReadAsync(agent.TenantId, inboxId, cancellationToken), null)
            : (null, InvitationErrors.InboxNotFound);
    }

    /// <summary>The workspace's widget inboxes (id, name) for the console's inbox picker.</summary>
    public async Task<IReadOnlyList<InboxOption>> WidgetInboxesAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == tenantId && i.Channel == ChannelType.WebWidget).OrderBy(i => i.Name)
            .Select(i => new { i.Id, i.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => new InboxOption(r.Id, r.Name)).ToList();
    }

    public async Task<InvitationRulesDto> ReadAsync(Guid tenantId, Guid inboxId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.Set<InvitationRule>().AsNoTracking().Where(r => r.InboxId == inboxId && r.TenantId == tenantId).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        double window = options.Value.ConversionWindowMinutes;

        var shows = db.Set<InvitationShow>().AsNoTracking().Where(s => s.InboxId == inboxId && s.TenantId == tenantId);
        var rows = await shows.GroupBy(s => s.RuleId)
            .Select(g => new { RuleId = g.Key, Shown = g.Count(), Accepted = g.Count(x => x.AcceptedAt != null), Dismissed = g.Count(x => x.DismissedAt != null) })
            .ToListAsync(cancellationToken);
        // Converted: the visitor wrote in this inbox after the invitation, within the window (a message, not a click).
        // Conversations first: they are found by contact and inbox, their messages by conversation.
        var converted = await shows.Where(s => db.Conversations.Any(c => c.ContactId == s.ContactId && c.InboxId == s.InboxId &&
                db.Messages.Any(m => m.ConversationId == c.Id && m.SenderType == SenderType.Visitor && m.CreatedAt >= s.ShownAt && m.CreatedAt <= s.ShownAt.AddMinutes(window))))
            .GroupBy(s => s.RuleId).Select(g => new { RuleId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        InvitationCounts CountsOf(Guid? ruleId) => rows.FirstOrDefault(r => r.RuleId == ruleId) is { } c
            ? new(c.Shown, c.Accepted, c.Dismissed, converted.FirstOrDefault(x => x.RuleId == ruleId)?.Count ?? 0)
            : new(0, 0, 0, 0);

        return new InvitationRulesDto(inboxId, rules.Select(r => new InvitationRuleDto(r.Id, r.Name, r.Enabled, r.UrlPattern, r.MinSecondsOnPage, r.MinPagesVisited, r.Returning,
            r.Tag, r.AttributeKey, r.AttributeValue, r.Language, r.DuringBusinessHours, r.TextEn, r.TextZh, r.OpenWidget, r.CapMinutes, r.DismissMinutes, CountsOf(r.Id))).ToList(),
            CountsOf(null));
    }
}
