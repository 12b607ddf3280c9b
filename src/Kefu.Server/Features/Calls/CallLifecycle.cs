using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// What every call operation shares: finding a call the caller takes part in, recording its events through the
/// conversation journal, and telling both sides. A ringing call past <see cref="CallsOptions.RingTimeout"/> is ended as
/// missed whenever it is touched (and by <see cref="CallRingSweep"/>), so no call stays stuck ringing.
/// </summary>
internal sealed partial class CallLifecycle(
    CallRegistry registry, ICallFanout fanout, CallNotices notices, IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<CallsOptions> options, ILogger<CallLifecycle> logger)
{
    public CallsOptions Options => options.Value;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The call if <paramref name="party"/> takes part in it (else <c>call_not_found</c>, the same as no such call).</summary>
    public async Task<(Call? Call, KefuError? Error)> FindAsync(CallParty party, Guid callId)
    {
        if (registry.Find(callId) is not { } call || !call.IsParticipant(party))
        {
            return (null, CallErrors.CallNotFound);
        }

        await EndIfUnansweredAsync(call);
        return call.State == CallState.Ended ? (null, CallErrors.CallEnded) : (call, null);
    }

    /// <summary>Ends a call that rang longer than the ring timeout, as missed.</summary>
    public async Task EndIfUnansweredAsync(Call call)
    {
        bool stale;
        lock (call.Gate)
        {
            stale = call.State is CallState.Requested or CallState.Ringing && Now - call.CreatedAt > Options.RingTimeout;
        }

        if (stale)
        {
            await EndAsync(call, null, CallEndReasons.Missed);
        }
    }

    /// <summary>The conversation of a live or recent call <paramref name="party"/> takes part in, for the hubs' access check.</summary>
    public Guid? ConversationOf(CallParty party, Guid callId) =>
        registry.Find(callId) is { } call && call.IsParticipant(party) ? call.ConversationId : null;

    /// <summary>
    /// Ends <paramref name="call"/> when its conversation no longer allows it: deleted, resolved, or no longer the call
    /// agent's (ADR 0040). Read from the database, so a late or reordered change event cannot end a call by mistake.
    /// </summary>
    public async Task EndIfConversationChangedAsync(Call call)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var now = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == call.ConversationId && c.TenantId == call.TenantId)
            .Select(c => new { c.Status, c.AssigneeId })
            .SingleOrDefaultAsync(CancellationToken.None);
        var reason = now is null ? CallEndReasons.ConversationDeleted
            : now.Status == ConversationStatus.Resolved ? CallEndReasons.ConversationResolved
            : now.AssigneeId == call.AssigneeAtStart || (call.AssigneeAtStart is null && now.AssigneeId == call.AgentId) ? null
            : CallEndReasons.Transferred;
        if (reason is not null)
        {
            // A deleted conversation has no timeline left to write into: both sides are told, nothing is recorded.
            await EndAsync(call, null, reason, record: now is not null);
        }
    }

    /// <summary>
    /// Ends the call (once: a second end is a no-op that returns false), writes <c>call.ended</c> (unless
    /// <paramref name="record"/> is false: the conversation is gone) and tells both sides.
    /// </summary>
    public async Task<bool> EndAsync(Call call, CallParty? by, string reason, bool record = true)
    {
        lock (call.Gate)
        {
            if (call.State == CallState.Ended)
            {
                return false;
            }

            call.State = CallState.Ended;
            call.EndedAt = Now;
            call.EndReason = reason;
            call.EndedBy = by?.Side;
        }

        registry.Ended(call);
        var talk = call.StartedAt is { } started ? (int)Math.Round((call.EndedAt!.Value - started).TotalSeconds) : 0;
        if (record)
        {
            await RecordAsync(new CallEnded(call.Id, call.Media, Math.Max(0, talk), reason)
            {
                TenantId = call.TenantId, ConversationId = call.ConversationId, Actor = by?.Actor ?? Actor.System, OccurredAt = call.EndedAt!.Value,
            });
        }

        LogEnded(logger, call.TenantId, call.ConversationId, call.Id, reason, talk);
        await PushAsync(call);
        return true;
    }

    /// <summary>Writes a call event in the conversation's timeline and outbox, in its own transaction.</summary>
    public async Task RecordAsync(ConversationEvent e)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        ConversationJournal.Append(db, e);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Tells both sides' connections and this node's console circuits (timeline, the shell's ring) the call's state.</summary>
    public Task PushAsync(Call call)
    {
        var dto = call.ToDto();
        notices.Publish(new CallNotice(call.TenantId, call.AgentId, dto));
        return fanout.CallUpdatedAsync(call.ContactId, call.AgentId, dto);
    }

    /// <summary>The live call of <paramref name="conversationId"/> that <paramref name="party"/> takes part in (a ringing one past its timeout is ended first).</summary>
    public async Task<CallDto?> LiveForAsync(CallParty party, Guid conversationId)
    {
        if (registry.LiveIn(conversationId) is not { } call || !call.IsParticipant(party))
        {
            return null;
        }

        await EndIfUnansweredAsync(call);
        return call.State == CallState.Ended ? null : call.ToDto();
    }

    public Task RelayAsync(Call call, CallSide to, CallSignalEvent signal) => fanout.SignalAsync(to, call.ContactId, call.AgentId, signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} in conversation {ConversationId} of tenant {TenantId} ended: {Reason} after {Seconds} s")]
    private static partial void LogEnded(ILogger logger, Guid tenantId, Guid conversationId, Guid callId, string reason, int seconds);
}
