using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// <c>/hubs/agent</c>: for agent clients that are not the Blazor console (mobile and desktop apps,
/// bots, load tests). Cookie or bearer token (<c>POST /api/v1/auth/token</c>). Same events as the console.
/// </summary>
[Authorize]
internal sealed partial class AgentHub(
    SendMessage send, GetMessages history, ListConversations list, ConversationDirectory directory, IMessageFanout fanout,
    ResolveConversation resolve, ReopenConversation reopen, MarkConversationRead markRead, AgentPresence presence,
    SetPresence setPresence, TakeConversation take, AnswerOffer offers, TransferConversation transfer, ConversationAccess access,
    IAccessControl accessControl, Features.Calls.CallHubs calls) : Hub<IAgentClient>
{
    private AgentIdentity Agent => AgentIdentity.From(Context.User!)!;

    public override async Task OnConnectedAsync()
    {
        var agent = Agent;
        if (await accessControl.ForAsync(agent, Context.ConnectionAborted) is not { } mine)
        {
            Context.Abort(); // deactivated between sign-in and connect
            return;
        }

        // The workspace group carries every conversation's events: only for those who may see them all. Others get
        // the events of the conversations in their scope through their own group (RealtimeFanout addresses them).
        if (mine.SeesEverything)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeGroups.Tenant(agent.TenantId));
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, RealtimeGroups.Agent(agent.UserId));
        Context.Items[nameof(AgentPresence)] = presence.Connect(agent.TenantId, agent.UserId);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        // The lease makes "is anyone there?" (the bot's hand-off) see this connection end.
        (Context.Items[nameof(AgentPresence)] as IDisposable)?.Dispose();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The conversations the caller may see, newest activity first.</summary>
    public async Task<HubResult<IReadOnlyList<ConversationDto>>> ListConversations(ConversationFilter status = ConversationFilter.Open, int limit = 100) =>
        limit is < 1 or > 500
            ? HubResult<IReadOnlyList<ConversationDto>>.Failure(KefuError.InvalidRange)
            : HubResult<IReadOnlyList<ConversationDto>>.Success(await list.ForAgentAsync(Agent, status, limit, Context.ConnectionAborted));

    /// <summary>Sends a message; the result is the ack, returned only after the message is committed.</summary>
    public async Task<HubResult<SendMessageResult>> SendMessage(Guid conversationId, AgentSendMessage? request)
    {
        if (request is null)
        {
            return HubResult<SendMessageResult>.Failure(KefuError.InvalidRequest);
        }

        var (result, error) = await send.AgentAsync(Agent, conversationId, request, CancellationToken.None);
        return error is null ? HubResult<SendMessageResult>.Success(result!) : HubResult<SendMessageResult>.Failure(error);
    }

    /// <summary>Messages with Seq greater than <paramref name="afterSeq"/>.</summary>
    public async Task<HubResult<MessagePage>> GetMessages(Guid conversationId, long afterSeq, int limit)
    {
        var (page, error) = await history.ForAgentAsync(Agent, conversationId, afterSeq, limit, Context.ConnectionAborted);
        return error is null ? HubResult<MessagePage>.Success(page!) : HubResult<MessagePage>.Failure(error);
    }

    /// <summary>The agent started or stopped typing; the visitor sees it.</summary>
    public async Task<HubResult<bool>> Typing(Guid conversationId, bool isTyping)
    {
        var agent = Agent;
        var owner = await directory.FindAsync(conversationId, Context.ConnectionAborted);
        if (owner is null || owner.TenantId != agent.TenantId)
        {
            return HubResult<bool>.Failure(ConversationErrors.ConversationNotFound);
        }

        // Typing is acting: an agent does not type into a colleague's conversation (the visitor would see it).
        if (await access.CheckAsync(agent, conversationId, Context.ConnectionAborted) is { } denied)
        {
            return HubResult<bool>.Failure(denied);
        }

        fanout.Typing(agent.TenantId, owner.ContactId, new TypingEvent(conversationId, SenderType.Agent, agent.DisplayName, isTyping));
        return HubResult<bool>.Success(true);
    }

    /// <summary>Marks the conversation resolved.</summary>
    public Task<HubResult<ConversationDto>> Resolve(Guid conversationId) => Wrap(resolve.HandleAsync(Agent, conversationId, Context.ConnectionAborted));

    /// <summary>Reopens a resolved conversation.</summary>
    public Task<HubResult<ConversationDto>> Reopen(Guid conversationId) => Wrap(reopen.HandleAsync(Agent, conversationId, Context.ConnectionAborted));

    /// <summary>Sets the unread count to zero.</summary>
    public Task<HubResult<ConversationDto>> MarkRead(Guid conversationId) => Wrap(markRead.HandleAsync(Agent, conversationId, Context.ConnectionAborted));

    /// <summary>Switches the caller's presence (online, busy, away, offline).</summary>
    public async Task<HubResult<PresenceState>> SetPresence(PresenceState state)
    {
        if (!Enum.IsDefined(state))
        {
            return HubResult<PresenceState>.Failure(KefuError.InvalidRequest);
        }

        await setPresence.HandleAsync(Agent, state, Context.ConnectionAborted);
        return HubResult<PresenceState>.Success(state);
    }

    /// <summary>Takes a waiting conversation from the queue (a conditional claim within capacity).</summary>
    public Task<HubResult<ConversationDto>> Take(Guid conversationId) => Wrap(take.HandleAsync(Agent, conversationId, Context.ConnectionAborted));

    /// <summary>Accepts the conversation routing offered to the caller.</summary>
    public Task<HubResult<ConversationDto>> AcceptOffer(Guid conversationId) => Wrap(offers.AcceptAsync(Agent, conversationId, Context.ConnectionAborted));

    /// <summary>Declines an offer: the next agent is offered.</summary>
    public async Task<HubResult<bool>> DeclineOffer(Guid conversationId) =>
        await offers.DeclineAsync(Agent, conversationId, Context.ConnectionAborted) is { } error ? HubResult<bool>.Failure(error) : HubResult<bool>.Success(true);

    /// <summary>Transfers a conversation to an agent or a team, with a note.</summary>
    public Task<HubResult<ConversationDto>> Transfer(Guid conversationId, TransferRequest? request) =>
        request is null
            ? Task.FromResult(HubResult<ConversationDto>.Failure(KefuError.InvalidRequest))
            : Wrap(transfer.HandleAsync(Agent, conversationId, request, "transfer", Context.ConnectionAborted));

    private static async Task<HubResult<ConversationDto>> Wrap(Task<(ConversationDto?, KefuError?)> task)
    {
        var (dto, error) = await task;
        return error is null ? HubResult<ConversationDto>.Success(dto!) : HubResult<ConversationDto>.Failure(error);
    }
}
