using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Invitations;

/// <summary>An inbox's invitation rules in order.</summary>
/// <param name="Rules">The rules; the first that matches a visit shows its invitation.</param>
public sealed record InvitationRulesRequest(IReadOnlyList<InvitationRuleRequest?>? Rules);

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/invitation-rules</c>: replaces a widget inbox's ordered rule list (audited). A rule named
/// by id keeps its counts; a rule left out is deleted with them; a bad rule answers 422 and nothing is stored.
/// </summary>
internal sealed class SaveInvitationRules(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time, ListInvitationRules list)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/invitation-rules", async Task<Results<Ok<InvitationRulesDto>, ProblemHttpResult>> (
                Guid id, InvitationRulesRequest request, HttpContext http, SaveInvitationRules handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("SaveInvitationRules")
            .WithTags("Invitations");

    public async Task<(InvitationRulesDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid inboxId, InvitationRulesRequest? request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, InvitationErrors.Forbidden);
        }

        if (InvitationRuleValidation.Check(request?.Rules) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == agent.TenantId && i.Channel == ChannelType.WebWidget, cancellationToken))
        {
            return (null, InvitationErrors.InboxNotFound);
        }

        var existing = await db.Set<InvitationRule>().Where(r => r.InboxId == inboxId).ToDictionaryAsync(r => r.Id, cancellationToken);
        // A rule id of another inbox or workspace is "not found", never moved here.
        if (request!.Rules!.Any(r => r!.Id is { } ruleId && !existing.ContainsKey(ruleId)))
        {
            return (null, InvitationErrors.RuleNotFound);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var kept = new HashSet<Guid>();
        for (var i = 0; i < request.Rules!.Count; i++)
        {
            var r = request.Rules[i]!;
            var rule = r.Id is { } id ? existing[id] : db.Set<InvitationRule>().Add(new InvitationRule
            {
                Id = Guid.CreateVersion7(), TenantId = agent.TenantId, InboxId = inboxId, Name = "", TextEn = "", TextZh = "",
            }).Entity;
            kept.Add(rule.Id);
            Apply(rule, r, i, now);
        }

        db.Set<InvitationRule>().RemoveRange(existing.Values.Where(r => !kept.Contains(r.Id)));
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), JsonSerializer.Serialize(new
        {
            setting = "invitation_rules", rules = request.Rules.Select(r => new { r!.Name, r.Enabled, r.UrlPattern }),
        })).By(agent));
        await db.SaveChangesAsync(cancellationToken);
        return (await list.ReadAsync(agent.TenantId, inboxId, cancellationToken), null);
    }

    private static void Apply(InvitationRule rule, InvitationRuleRequest r, int position, DateTime now)
    {
        rule.Position = position;
        rule.Name = r.Name!.Trim();
        rule.Enabled = r.Enabled;
        rule.UrlPattern = r.UrlPattern;
        rule.MinSecondsOnPage = r.MinSecondsOnPage is 0 ? null : r.MinSecondsOnPage;
        rule.MinPagesVisited = r.MinPagesVisited;
        rule.Returning = r.Returning;
        rule.Tag = r.Tag;
        rule.AttributeKey = r.AttributeKey;
        rule.AttributeValue = r.AttributeValue;
        rule.Language = r.Language;
        rule.DuringBusinessHours = r.DuringBusinessHours;
        rule.TextEn = r.TextEn!.Trim();
        rule.TextZh = r.TextZh!.Trim();
        rule.OpenWidget = r.OpenWidget;
        rule.CapMinutes = r.CapMinutes;
        rule.DismissMinutes = r.DismissMinutes;
        rule.UpdatedAt = now;
    }
}
