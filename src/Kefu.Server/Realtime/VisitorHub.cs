using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Realtime;

/// <summary>
/// <c>/hubs/visitor</c>: the widget's realtime channel. Authenticated by the visitor token; a visitor
/// reaches only their own conversations, and every failure comes back as a typed <see cref="KefuError"/>.
/// </summary>
[Authorize(AuthenticationSchemes = VisitorAuthentication.SchemeName)]
internal sealed partial class VisitorHub(
    SendMessage send, GetMessages history, ConversationDirectory directory, IMessageFanout fanout,
    IDbContextFactory<KefuDbContext> dbFactory, ChooseAction choose, QueuePositions queue, LeaveMessage leaveMessage, Features.Calls.CallHubs calls) : Hub<IVisitorClient>
{
    private VisitorIdentity Visitor => VisitorIdentity.From(Context.User!)!;

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeGroups.Visitor(Visitor.ContactId));
        await base.OnConnectedAsync();
    }

    /// <summary>The visitor's conversations in this inbox, oldest first, with their newest Seq.</summary>
    public async Task<HubResult<IReadOnlyList<VisitorConversationDto>>> GetConversations()
    {
        var visitor = Visitor;
        await using var db = await dbFactory.CreateDbContextAsync(Context.ConnectionAborted);
        var list = await db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == visitor.ContactId && c.InboxId == visitor.InboxId)
            .OrderBy(c => c.CreatedAt)
            .Select(c => new VisitorConversationDto(c.Id, c.Status, c.LastSeq, c.CreatedAt))
            .ToListAsync(Context.ConnectionAborted);
        return HubResult<IReadOnlyList<VisitorConversationDto>>.Success(list);
    }

    /// <summary>Sends a message; the result is the ack, returned only after the message is committed.</summary>
    public async Task<HubResult<SendMessageResult>> SendMessage(VisitorSendMessage? request)
    {
        if (request is null)
        {
            return HubResult<SendMessageResult>.Failure(KefuError.InvalidRequest);
        }

        // Not the connection's token: once enqueued the write completes anyway, and a client that
        // dropped meanwhile gets the same ack on its retry.
        var (result, error) = await send.VisitorAsync(Visitor, request, CancellationToken.None, Context.ConnectionId);
        return error is null ? HubResult<SendMessageResult>.Success(result!) : HubResult<SendMessageResult>.Failure(error);
    }

    /// <summary>
    /// Presses a button under a bot message (a choice, "did this help?", talk to a person). The press is
    /// stored as the visitor's message with the button's label; pressing again returns the first ack.
    /// </summary>
    public async Task<HubResult<SendMessageResult>> ChooseAction(Guid conversationId, Guid messageId, string? actionId)
    {
        var (result, error) = await choose.HandleAsync(Visitor, conversationId, messageId, actionId, CancellationToken.None);
        return error is null ? HubResult<SendMessageResult>.Success(result!) : HubResult<SendMessageResult>.Failure(error);
    }

    /// <summary>Messages with Seq greater than <paramref name="afterSeq"/>: history and resync after reconnect.</summary>
    public async Task<HubResult<MessagePage>> GetMessages(Guid conversationId, long afterSeq, int limit)
    {
        var (page, error) = await history.ForVisitorAsync(Visitor, conversationId, afterSeq, limit, Context.ConnectionAborted);
        return error is null ? HubResult<MessagePage>.Success(page!) : HubResult<MessagePage>.Failure(error);
    }

    /// <summary>The visitor's place in line (after a reconnect; changes are pushed as <c>QueueUpdated</c>).</summary>
    public async Task<HubResult<QueueStatusEvent>> GetQueueStatus(Guid conversationId)
    {
        var visitor = Visitor;
        if (await directory.FindForVisitorAsync(visitor, conversationId, Context.ConnectionAborted) is null)
        {
            return HubResult<QueueStatusEvent>.Failure(ConversationErrors.ConversationNotFound);
        }

        return HubResult<QueueStatusEvent>.Success(await queue.StatusAsync(visitor.TenantId, conversationId, Context.ConnectionAborted));
    }

    /// <summary>Leave a message instead of waiting: the conversation stays open for an agent to answer, out of the line.</summary>
    public async Task<HubResult<QueueStatusEvent>> LeaveMessage(Guid conversationId)
    {
        var (status, error) = await leaveMessage.HandleAsync(Visitor, conversationId, CancellationToken.None);
        return error is null ? HubResult<QueueStatusEvent>.Success(status!) : HubResult<QueueStatusEvent>.Failure(error);
    }

    /// <summary>The visitor started or stopped typing in their conversation.</summary>
    public async Task<HubResult<bool>> Typing(Guid conversationId, bool isTyping)
    {
        var visitor = Visitor;
        if (await directory.FindForVisitorAsync(visitor, conversationId, Context.ConnectionAborted) is null)
        {
            return HubResult<bool>.Failure(ConversationErrors.ConversationNotFound);
        }

        fanout.Typing(visitor.TenantId, visitor.ContactId, new TypingEvent(conversationId, SenderType.Visitor, null, isTyping));
        return HubResult<bool>.Success(true);
    }
}
