using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>Tests rules against one conversation and runs the actions of those that match, once per rule and event.</summary>
internal sealed partial class RuleApplier(
    IDbContextFactory<KefuDbContext> dbFactory, AutomationRunner runner, IRoutingCommands routing, IContactAttributeReader attributes, TimeProvider time,
    ILogger<RuleApplier> logger)
{
    /// <param name="score">The survey's score, for <c>survey_answered</c> rules; null for other triggers.</param>
    public async Task ApplyAsync(
        IReadOnlyList<CompiledRule> rules, Guid tenantId, Guid conversationId, string? text, string? intent, int? score, string eventKey, int depth, CancellationToken ct)
    {
        RuleFacts facts;
        ConversationOwner owner;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var c = await db.Conversations.AsNoTracking().Where(x => x.Id == conversationId && x.TenantId == tenantId)
                .Select(x => new { x.InboxId, x.ContactId, x.Priority, x.LastSeq }).FirstOrDefaultAsync(ct);
            if (c is null)
            {
                return;
            }

            owner = new ConversationOwner(conversationId, tenantId, c.InboxId, c.ContactId);
            text ??= await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.Seq == c.LastSeq).Select(m => m.Text).FirstOrDefaultAsync(ct) ?? "";
            var channel = await db.Inboxes.AsNoTracking().Where(i => i.Id == c.InboxId).Select(i => i.Channel).FirstOrDefaultAsync(ct);
            var contact = await db.Contacts.AsNoTracking().Where(x => x.Id == c.ContactId).Select(x => new { x.Tags, x.Language }).FirstOrDefaultAsync(ct);
            bool? open = rules.Any(r => r.NeedsHours) ? await routing.IsOpenAsync(tenantId, c.InboxId, time.GetUtcNow(), ct) : null;
            facts = new RuleFacts(c.InboxId, channel.ToString().ToLowerInvariant(), text, ContactTags.Split(contact?.Tags),
                c.Priority.ToString().ToLowerInvariant(), intent, open)
            {
                Language = contact?.Language, Score = score,
                Attributes = rules.Any(r => r.NeedsAttributes) ? await attributes.ValuesAsync(tenantId, c.ContactId, ct) : new Dictionary<string, ContactAttributeValueDto>(),
            };
        }

        foreach (var rule in rules)
        {
            if (!RuleMatcher.Matches(rule, facts, id => LogRegexTimedOut(logger, id, conversationId)) ||
                !await ClaimAsync(rule, conversationId, eventKey, ct))
            {
                continue;
            }

            if (await ActorAsync(rule, ct) is not { } actor)
            {
                LogNoActor(logger, rule.Id);
                continue;
            }

            LogRuleRuns(logger, rule.Id, conversationId, depth);
            await runner.RunAsync(new ActionSource("rule", rule.Id, rule.Name, depth, eventKey), actor, owner, rule.Actions, ct);
        }
    }

    /// <summary>
    /// Records that the rule ran for this event before it acts: at most once per event, because a visitor who gets the
    /// same automatic message twice is worse than a tag missed when the node dies between the claim and the action.
    /// </summary>
    private async Task<bool> ClaimAsync(CompiledRule rule, Guid conversationId, string eventKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.AutomationRuns.AnyAsync(r => r.RuleId == rule.Id && r.ConversationId == conversationId && r.EventKey == eventKey, ct))
        {
            return false;
        }

        db.AutomationRuns.Add(new AutomationRun
        {
            Id = Guid.CreateVersion7(), TenantId = rule.TenantId, RuleId = rule.Id, ConversationId = conversationId, EventKey = eventKey,
            RanAt = time.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another pass claimed it first
        }
    }

    private async Task<AgentIdentity?> ActorAsync(CompiledRule rule, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == rule.ActorId && u.TenantId == rule.TenantId)
            .Select(u => new { u.Id, u.TenantId, u.DisplayName, u.Role }).FirstOrDefaultAsync(ct);
        return user is null ? null : new AgentIdentity(user.Id, user.TenantId, user.DisplayName, user.Role);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rule {RuleId} runs on conversation {ConversationId} at depth {Depth}")]
    private static partial void LogRuleRuns(ILogger logger, Guid ruleId, Guid conversationId, int depth);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule {RuleId}: a regular expression ran out of time on conversation {ConversationId}; the condition is false")]
    private static partial void LogRegexTimedOut(ILogger logger, Guid ruleId, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule {RuleId}: the person who saved it is gone; it did nothing")]
    private static partial void LogNoActor(ILogger logger, Guid ruleId);
}
