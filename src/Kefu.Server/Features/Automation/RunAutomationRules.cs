using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Automation;

/// <summary>
/// Runs a workspace's rules on the durable lane: conversation created, message created, handed off, survey answered (the idle trigger
/// comes from <see cref="IdleSweep"/>). Rules run in their order; each matching rule runs once per event (a replay finds
/// its <see cref="AutomationRun"/>), and a chain of rules feeding each other stops at <see cref="AutomationOptions.MaxDepth"/>.
/// <c>Handles</c> answers from the rule cache, so a workspace without rules costs the message path nothing.
/// </summary>
internal sealed partial class RunAutomationRules(
    IDbContextFactory<KefuDbContext> dbFactory, RuleCache cache, RuleApplier applier, IOptions<AutomationOptions> options,
    ILogger<RunAutomationRules> logger) : IOutboxConsumer
{
    public string Name => "automation";

    public bool Handles(ConversationEvent e) => TriggerOf(e) is { } trigger && cache.MayWant(e.TenantId, trigger);

    private static string? TriggerOf(ConversationEvent e) => e switch
    {
        ConversationCreated => AutomationNames.ConversationCreated,
        MessageCreated => AutomationNames.MessageCreated,
        ConversationHandedOff => AutomationNames.HandedOff,
        SurveyAnswered => AutomationNames.SurveyAnswered,
        _ => null,
    };

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        var rules = await cache.ForAsync(e.TenantId, TriggerOf(e)!, cancellationToken);
        if (e is MessageCreated m)
        {
            rules = [.. rules.Where(r => r.Sender == "any" || r.Sender == (m.Sender == SenderType.Agent ? "agent" : m.Sender == SenderType.Visitor ? "visitor" : ""))];
        }

        if (rules.Count == 0)
        {
            return;
        }

        string? text = null;
        var depth = 0;
        if (e is MessageCreated message)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.Messages.AsNoTracking().Where(x => x.Id == message.MessageId && x.ConversationId == e.ConversationId)
                .Select(x => new { x.Text, x.ClientMessageId }).FirstOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return; // deleted meanwhile
            }

            (text, depth) = (row.Text, message.Sender is SenderType.Bot or SenderType.System ? AutomationRunner.DepthOf(row.ClientMessageId) : 0);
        }

        if (depth >= options.Value.MaxDepth)
        {
            // A rule's message caused this event, and so on, MaxDepth times: whatever rules match now would answer a rule.
            LogDepthReached(logger, e.ConversationId, depth);
            return;
        }

        var key = e switch
        {
            MessageCreated msg => $"m:{msg.MessageId:N}",
            ConversationHandedOff => $"h:{e.OccurredAt.Ticks}",
            SurveyAnswered s => $"s:{s.ResponseId:N}:{e.OccurredAt.Ticks}", // a changed answer is a new event
            _ => "created",
        };
        await applier.ApplyAsync(rules, e.TenantId, e.ConversationId, text, (e as ConversationHandedOff)?.Intent, (e as SurveyAnswered)?.Score, key, depth + 1, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automation stopped on conversation {ConversationId}: depth {Depth} reached (rules triggering rules)")]
    private static partial void LogDepthReached(ILogger logger, Guid conversationId, int depth);
}
