using System.Diagnostics;
using Kefu.Nlu;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// The bot as a participant on the durable lane: for each visitor <c>message.created</c> in a conversation
/// it holds, it decides, writes its replies through the message writer (so they get a Seq, a commit and a
/// fan-out like any message), then records the turn and any hand-off. Idempotent: replies use the client id
/// <c>bot:{messageId}</c> (a replay is a writer no-op) and the turn is unique per visitor message.
/// </summary>
internal sealed partial class BotResponder(
    IDbContextFactory<KefuDbContext> dbFactory,
    IKnowledgeModels models,
    BotDecider decider,
    IMessageWriter writer,
    IAgentAvailability availability,
    RecordBotTurn recorder,
    IInboxDirectory inboxes,
    Flows.FlowEngine flows,
    IUnsureAnswerer unsure,
    IVoiceMessages voices,
    ILogger<BotResponder> logger) : IOutboxConsumer, IVoiceTurns
{
    public string Name => "bot";

    /// <summary>
    /// Only messages a visitor wrote while the bot held the conversation: the event says who held it, so
    /// messages to agents cost no database read here.
    /// </summary>
    public bool Handles(ConversationEvent e) => e is MessageCreated { Sender: SenderType.Visitor, Handler: ConversationHandler.Bot };

    public async Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
    {
        if (e is not MessageCreated payload || !Handles(e))
        {
            return;
        }

        var context = await LoadAsync(payload.ConversationId, payload.MessageId, cancellationToken);
        // A voice message is answered once its transcription ended (IVoiceTurns), not as a file now.
        if (context is null || context.Message.AttachmentId is not null && (await voices.FindAsync([context.Message.Id], cancellationToken)).Count > 0)
        {
            return;
        }

        await RespondAsync(context, voiceWithoutWords: false, cancellationToken);
    }

    /// <summary>A voice message's turn: its words as if typed, or (none) a hand-off with a word about the voice message.</summary>
    public async Task AnswerVoiceAsync(Guid conversationId, Guid messageId, string? transcript, CancellationToken cancellationToken)
    {
        var context = await LoadAsync(conversationId, messageId, cancellationToken);
        if (context is null)
        {
            return;
        }

        context.Message.Text = transcript ?? ""; // a detached copy: the stored message keeps its own (empty) text
        await RespondAsync(context, voiceWithoutWords: transcript is null, cancellationToken);
    }

    private async Task RespondAsync(BotContext context, bool voiceWithoutWords, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var knowledge = await models.GetAsync(context.TenantId, cancellationToken);
        var language = PickLanguage(context);
        var (decision, flow) = voiceWithoutWords
            ? (new BotDecision(BotOutcome.HandedOff, HandoffReasons.Voice, null, [], false, false, 0, BotDecision.Neutral), null)
            : await DecideWithFlowsAsync(context, knowledge, language, cancellationToken);
        // The optional LLM, through its own seam: asked only when the engine is unsure (and no flow took the turn),
        // answers only from retrieved articles.
        var grounded = flow is null && !voiceWithoutWords && BotGrounded.IsUnsure(decision, context)
            ? await unsure.TryAnswerAsync(new UnsureQuestion(context.TenantId, language, context.Message.Text, decision.Choices), cancellationToken)
            : null;
        decision = grounded is null ? decision : BotGrounded.Decision(decision, grounded);
        // Outside business hours the bot says so in the inbox's words, and routing (which asks the same hours) holds the
        // conversation instead of assigning it behind the visitor's back.
        var closed = decision.Outcome == BotOutcome.HandedOff ? await availability.ClosedAsync(context.TenantId, context.InboxId, cancellationToken) : null;
        var available = decision.Outcome != BotOutcome.HandedOff ||
                        closed is null && await availability.AnyAgentAvailableAsync(context.TenantId, context.InboxId, cancellationToken);
        // One name per inbox in every language: the visitor who switches language still talks to the same bot.
        var inbox = await inboxes.ByIdAsync(context.InboxId, cancellationToken);
        var botName = inbox?.BotName ?? InboxRules.DefaultBotName(language);
        var replies = flow is not null
            ? [.. Flows.FlowEngine.Replies(flow.Turn), .. decision.Outcome == BotOutcome.HandedOff
                ? BotReplies.For(decision, language, knowledge, available, botName, inbox?.BotGreeting, closed) : []]
            : grounded is null
                ? BotReplies.For(decision, language, knowledge, available, botName, inbox?.BotGreeting, closed)
                : [BotGrounded.Reply(grounded, language)];
        for (var i = 0; i < replies.Count; i++)
        {
            var clientId = "bot:" + context.Message.Id.ToString("N") + (i == 0 ? "" : ":" + i);
            var write = new MessageWrite(context.TenantId, context.InboxId, context.ContactId, context.ConversationId, clientId,
                SenderType.Bot, null, botName, replies[i].Text, null, replies[i].Actions);
            var (_, error) = await writer.WriteAsync(write, cancellationToken);
            if (error is not null)
            {
                LogReplyRefused(logger, context.ConversationId, error.Code);
                return;
            }
        }

        await recorder.CommitAsync(context, decision, language, available, knowledge, cancellationToken, flow);
        LogAnswered(logger, context.ConversationId, decision.Outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// A flow first: the conversation's active run, or a flow a keyword or button starts; a request for a person or an
    /// angry message always goes to the FAQ rules (which hand off). Otherwise the FAQ bot decides, and an article bound
    /// to a flow starts that flow instead of being answered.
    /// </summary>
    private async Task<(BotDecision Decision, Flows.FlowTurnResult? Flow)> DecideWithFlowsAsync(
        BotContext context, KnowledgeSnapshot knowledge, string language, CancellationToken cancellationToken)
    {
        var text = context.Message.Text;
        var escape = context.Action?.Kind == MessageAction.Handoff || HandoffRequest.IsRequest(text) || Sentiment.Analyze(text).IsAngry;
        var flow = escape ? null : await flows.ContinueOrStartAsync(context, knowledge, cancellationToken);
        var decision = flow is null ? Decide(context, knowledge, language) : null;
        if (decision is { Outcome: BotOutcome.Answered, ArticleId: { } article } && context.Action?.Kind != MessageAction.Feedback)
        {
            flow = await flows.StartForArticleAsync(context, knowledge, article, cancellationToken);
        }

        if (escape && decision is { Outcome: BotOutcome.HandedOff })
        {
            // A person asked for in the middle of a flow: the run ends with this hand-off and its variables join the packet.
            return (decision, await flows.InterruptAsync(context, cancellationToken));
        }

        if (flow?.Turn.Finish is { HandedOff: true } finish)
        {
            return (new BotDecision(BotOutcome.HandedOff, finish.Reason, null, [], false, false, 0, BotDecision.Neutral), flow);
        }

        return flow is null ? (decision!, null) : (new BotDecision(BotOutcome.Flow, null, null, [], false, false, 0, BotDecision.Neutral), flow);
    }

    private BotDecision Decide(BotContext context, KnowledgeSnapshot knowledge, string language)
    {
        if (context.Action is { } action)
        {
            return decider.DecideAction(action, context.PreviousMisses, knowledge.Articles.ContainsKey);
        }

        var model = knowledge.For(language);
        var text = context.Message.Text;
        return decider.Decide(new BotInput(text, context.RecentTurns.Count == 0, context.PreviousMisses,
            model?.Intents.Predict(text), model?.Index.Search(text, 8) ?? [], context.Message.AttachmentId is not null));
    }

    /// <summary>
    /// Chinese when the message has a Han character, English when it has Latin letters; a message with
    /// neither ("123", "👍") keeps the language of the bot's previous turn.
    /// </summary>
    private static string PickLanguage(BotContext context)
    {
        var text = context.Message.Text;
        if (ArticleRules.DetectLanguage(text) == "zh-CN")
        {
            return "zh-CN";
        }

        return text.Any(char.IsAsciiLetter) ? "en" : context.RecentTurns.FirstOrDefault()?.Language ?? "zh-CN";
    }

    private async Task<BotContext?> LoadAsync(Guid conversationId, Guid messageId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null || conversation.Handler != ConversationHandler.Bot ||
            await db.BotTurns.AnyAsync(t => t.ConversationId == conversation.Id && t.MessageId == messageId, cancellationToken))
        {
            return null; // a person holds it, or this message was answered before (a replayed event)
        }

        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId && m.ConversationId == conversation.Id, cancellationToken);
        if (message is null || message.SenderType != SenderType.Visitor)
        {
            return null;
        }

        var turns = await db.BotTurns.AsNoTracking().Where(t => t.ConversationId == conversation.Id)
            .OrderByDescending(t => t.Seq).Take(20).ToListAsync(cancellationToken);
        var action = await PressedActionAsync(db, message, cancellationToken);
        return new BotContext(conversation.TenantId, conversation.InboxId, conversation.ContactId, conversation.Id, message, action, turns);
    }

    /// <summary>The button a message stands for: client id <c>act:{botMessageId}:{index}</c>, checked against the bot message.</summary>
    private static async Task<MessageAction?> PressedActionAsync(KefuDbContext db, Message message, CancellationToken cancellationToken)
    {
        var parts = message.ClientMessageId.Split(':');
        if (parts is not ["act", var id, var index] || !Guid.TryParseExact(id, "N", out var source) || !int.TryParse(index, out var i))
        {
            return null;
        }

        var actions = await db.Messages.AsNoTracking()
            .Where(m => m.Id == source && m.ConversationId == message.ConversationId && m.SenderType == SenderType.Bot)
            .Select(m => m.Actions).FirstOrDefaultAsync(cancellationToken);
        return MessageActions.Read(actions) is { } list && i >= 0 && i < list.Count ? list[i] : null;
    }


    [LoggerMessage(Level = LogLevel.Debug, Message = "Bot turn in conversation {ConversationId}: {Outcome} in {Milliseconds} ms")]
    private static partial void LogAnswered(ILogger logger, Guid conversationId, BotOutcome outcome, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The writer refused a bot reply in conversation {ConversationId}: {Code}")]
    private static partial void LogReplyRefused(ILogger logger, Guid conversationId, string code);
}
