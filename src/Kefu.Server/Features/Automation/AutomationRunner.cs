using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Webhooks.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Automation;

/// <summary>Where a list of actions comes from, for the timeline and the depth of what it causes.</summary>
/// <param name="Kind"><c>rule</c> or <c>macro</c>.</param>
/// <param name="Id">The rule or macro.</param>
/// <param name="Name">Its name.</param>
/// <param name="Depth">Rule runs that led here, this one included.</param>
/// <param name="EventKey">The event it answers, so a message it sends is the same message on a replay.</param>
internal sealed record ActionSource(string Kind, Guid Id, string Name, int Depth, string EventKey);

/// <summary>
/// Runs actions through the handlers the REST endpoints use (so permissions, journal and live updates are the same as a
/// click), each one alone: a failing action is logged and recorded in the timeline, and the next one still runs.
/// </summary>
internal sealed partial class AutomationRunner(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationCommands conversations, IRoutingCommands routing,
    IContactTagging tagging, ICollaborationCommands collaboration, IMessageWriter writer, ICannedReplyFiller cannedReplies, TimeProvider time,
    ILogger<AutomationRunner> logger)
{
    /// <summary>Prefix of the client id of messages rules send; the depth follows it, so the next rule run can read it.</summary>
    public const string ClientIdPrefix = "auto:";

    /// <summary>Runs the actions in order; returns the first error, if any (the others ran anyway).</summary>
    public async Task<KefuError?> RunAsync(
        ActionSource source, AgentIdentity actor, ConversationOwner conversation, IReadOnlyList<RuleAction> actions, CancellationToken cancellationToken)
    {
        KefuError? first = null;
        for (var i = 0; i < actions.Count; i++)
        {
            KefuError? error;
            try
            {
                error = await RunOneAsync(source, actor, conversation, actions[i], i, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogActionThrew(logger, ex, source.Kind, source.Id, actions[i].Type, conversation.Id);
                error = new KefuError("action_failed", "The action failed.");
            }

            if (error is not null)
            {
                LogActionFailed(logger, source.Kind, source.Id, actions[i].Type, conversation.Id, error.Code);
                first ??= error;
            }

            await RecordAsync(source, actor, conversation, actions[i].Type!, error?.Code ?? "done", cancellationToken);
        }

        return first;
    }

    private Task<KefuError?> RunOneAsync(ActionSource source, AgentIdentity actor, ConversationOwner c, RuleAction action, int index, CancellationToken ct)
    {
        var value = action.Value?.Trim() ?? "";
        return action.Type switch
        {
            "add_tags" => tagging.AddTagsAsync(actor, c.ContactId, value.Split(' ', StringSplitOptions.RemoveEmptyEntries), ct),
            "set_priority" => routing.SetPriorityAsync(actor, c.Id, value, ct),
            "assign_team" => routing.AssignAsync(actor, c.Id, null, Guid.Parse(value), ct),
            "assign_agent" => routing.AssignAsync(actor, c.Id, Guid.Parse(value), null, ct),
            "resolve" => conversations.ResolveAsync(actor, c.Id, ct),
            "send_message" => SendAsync(source, c, value, index, ct),
            "send_canned_reply" => SendCannedReplyAsync(source, actor, c, Guid.Parse(value), index, ct),
            "send_webhook" => WebhookAsync(source, c, Guid.Parse(value), ct),
            "add_note" => collaboration.AddNoteAsync(actor, c.Id, value, ct),
            "snooze" => collaboration.SnoozeAsync(actor, c.Id, value == AutomationNames.UntilReply ? null : time.GetUtcNow().UtcDateTime.AddMinutes(int.Parse(value, CultureInfo.InvariantCulture)), ct),
            _ => Task.FromResult<KefuError?>(AutomationErrors.Invalid("type", "Unknown action.")),
        };
    }

    private async Task<KefuError?> SendAsync(ActionSource source, ConversationOwner c, string text, int index, CancellationToken ct)
    {
        // The client id is derived from the rule, the event and the action, so a replayed event finds the first message
        // (the writer's unique client id) instead of sending a second one; it also carries the depth for the next rule.
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{source.Id:N}/{source.EventKey}/{index}")))[..16];
        var write = new MessageWrite(c.TenantId, c.InboxId, c.ContactId, c.Id, $"{ClientIdPrefix}{source.Depth}:{source.Id:N}:{hash}",
            SenderType.Bot, null, null, text, null);
        return (await writer.WriteAsync(write, ct)).Error;
    }

    /// <summary>
    /// The canned reply filled in as the rule's owner would get it in the composer (their visibility, the conversation's
    /// language, the same variables), then sent like <c>send_message</c>. A variable left unfilled (a contact with no
    /// e-mail) stops the action: the customer must not receive <c>{{contact.email}}</c>.
    /// </summary>
    private async Task<KefuError?> SendCannedReplyAsync(ActionSource source, AgentIdentity actor, ConversationOwner c, Guid replyId, int index, CancellationToken ct)
    {
        var (filled, error) = await cannedReplies.FillAsync(actor, replyId, c.Id, ct);
        if (error is not null)
        {
            return error;
        }

        return filled!.Unfilled.Count > 0
            ? new KefuError("canned_reply_unfilled", "The canned reply has variables with no value in this conversation; nothing was sent.")
            : await SendAsync(source, c, filled.Text, index, ct);
    }

    /// <summary>
    /// Queues the rule's webhook event in the conversation's journal: the webhooks' durable-lane consumer turns it into a
    /// signed, retried delivery to that webhook (no HTTP here). The event key makes a replayed rule run the same event.
    /// </summary>
    private async Task<KefuError?> WebhookAsync(ActionSource source, ConversationOwner c, Guid subscriptionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await WebhookLookup.ExistsAsync(db, c.TenantId, subscriptionId, ct))
        {
            return new KefuError("webhook_not_found", "The rule's webhook is gone.");
        }

        ConversationJournal.Append(db, new AutomationWebhookRequested(source.Id, source.Name, subscriptionId, source.EventKey)
        {
            TenantId = c.TenantId, ConversationId = c.Id, OccurredAt = time.GetUtcNow().UtcDateTime, Actor = Actor.System,
        });
        await db.SaveChangesAsync(ct);
        return null;
    }

    private async Task RecordAsync(ActionSource source, AgentIdentity actor, ConversationOwner c, string action, string outcome, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Conversations.AnyAsync(x => x.Id == c.Id && x.TenantId == c.TenantId, ct))
        {
            return; // deleted meanwhile: no timeline to write to
        }

        ConversationJournal.Append(db, new AutomationApplied(source.Kind, source.Id, source.Name, action, outcome, source.Depth)
        {
            TenantId = c.TenantId, ConversationId = c.Id, OccurredAt = time.GetUtcNow().UtcDateTime,
            Actor = source.Kind == "macro" ? Actor.Agent(actor.UserId) : Actor.System,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Depth of a message a rule sent, read from its client id; 0 for anyone else's.</summary>
    public static int DepthOf(string? clientMessageId)
    {
        if (clientMessageId is null || !clientMessageId.StartsWith(ClientIdPrefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var end = clientMessageId.IndexOf(':', ClientIdPrefix.Length);
        return end > 0 && int.TryParse(clientMessageId.AsSpan(ClientIdPrefix.Length, end - ClientIdPrefix.Length), out var depth) ? depth : 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automation {Kind} {SourceId}: action {Action} on conversation {ConversationId} failed with {Code}")]
    private static partial void LogActionFailed(ILogger logger, string kind, Guid sourceId, string? action, Guid conversationId, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Automation {Kind} {SourceId}: action {Action} on conversation {ConversationId} threw")]
    private static partial void LogActionThrew(ILogger logger, Exception ex, string kind, Guid sourceId, string? action, Guid conversationId);
}
