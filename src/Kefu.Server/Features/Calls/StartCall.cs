using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// An agent offers, or a visitor requests, a call in an open conversation. The hub has already checked that the caller
/// may act in the conversation (the visitor owns it, the agent's scope reaches it). The call rings the other side:
/// the visitor's connections, or the conversation's assignee.
/// </summary>
internal sealed class StartCall(
    CallLifecycle lifecycle, CallRegistry registry, ICallConversationWatch watch, IDbContextFactory<KefuDbContext> dbFactory, InboxCallSettingsStore inboxSettings)
{
    public async Task<(CallDto? Call, KefuError? Error)> HandleAsync(CallParty party, Guid conversationId, CallMedia media, CancellationToken cancellationToken)
    {
        var options = lifecycle.Options;
        if (!Enum.IsDefined(media))
        {
            return (null, KefuError.InvalidRequest);
        }

        // Only the server-wide switch here: which calls a visitor may start is the inbox's setting below, and
        // VisitorsMayRequest is merely its default (an inbox may allow voice while the server default is off).
        if (!options.Enabled)
        {
            return (null, CallErrors.CallsNotAllowed);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId && c.TenantId == party.TenantId)
            .Select(c => new { c.Status, c.AssigneeId, c.ContactId, c.InboxId })
            .SingleOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        // The inbox decides which calls its visitors may start (the server's setting when it has none of its own).
        if (party.Side == CallSide.Visitor
            && !(await inboxSettings.ForVisitorAsync(party.TenantId, conversation.InboxId, cancellationToken)).Allows(media))
        {
            return (null, CallErrors.CallsNotAllowed);
        }

        if (conversation.Status == ConversationStatus.Resolved)
        {
            return (null, CallErrors.ConversationClosed);
        }

        var agentId = party.Side == CallSide.Agent ? party.Id : conversation.AssigneeId;
        if (agentId is not { } agent)
        {
            return (null, CallErrors.NoAgent);
        }

        if (registry.LiveIn(conversationId) is { } live)
        {
            await lifecycle.EndIfUnansweredAsync(live);
        }

        var call = new Call
        {
            Id = Guid.CreateVersion7(), TenantId = party.TenantId, ConversationId = conversationId, ContactId = conversation.ContactId,
            AgentId = agent, Media = media, StartedBy = party.Side, CreatedAt = lifecycle.Now,
            AssigneeAtStart = conversation.AssigneeId,
        };
        if (!registry.TryAdd(call, lifecycle.Now))
        {
            return (null, CallErrors.CallBusy);
        }

        watch.Watch(call.TenantId);
        await lifecycle.RecordAsync(new CallRequested(call.Id, media)
        {
            TenantId = call.TenantId, ConversationId = conversationId, Actor = party.Actor, OccurredAt = call.CreatedAt,
        });
        lock (call.Gate)
        {
            call.State = call.State == CallState.Requested ? CallState.Ringing : call.State;
        }

        await lifecycle.PushAsync(call);
        return (call.ToDto(), null);
    }
}
