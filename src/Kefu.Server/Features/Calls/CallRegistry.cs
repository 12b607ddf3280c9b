using System.Collections.Concurrent;
using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// The calls this node knows: live ones by conversation (one at a time per conversation), and ended ones for a while,
/// so a late signal is answered <c>call_ended</c> rather than <c>call_not_found</c>.
/// </summary>
internal sealed class CallRegistry
{
    private static readonly TimeSpan KeepEnded = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<Guid, Call> _byId = new();
    private readonly ConcurrentDictionary<Guid, Call> _liveByConversation = new();

    public Call? Find(Guid callId) => _byId.GetValueOrDefault(callId);

    public Call? LiveIn(Guid conversationId) => _liveByConversation.GetValueOrDefault(conversationId);

    /// <summary>Adds a call unless its conversation already has a live one (the caller ends a stale one first).</summary>
    public bool TryAdd(Call call, DateTime now)
    {
        Prune(now);
        if (!_liveByConversation.TryAdd(call.ConversationId, call))
        {
            return false;
        }

        _byId[call.Id] = call;
        return true;
    }

    /// <summary>The call ended: its conversation is free for the next one.</summary>
    public void Ended(Call call) => _liveByConversation.TryRemove(new KeyValuePair<Guid, Call>(call.ConversationId, call));

    /// <summary>Live calls (for the ring sweep).</summary>
    public IEnumerable<Call> Live => _liveByConversation.Values;

    private void Prune(DateTime now)
    {
        foreach (var (id, call) in _byId)
        {
            if (call.State == CallState.Ended && call.EndedAt < now - KeepEnded)
            {
                _byId.TryRemove(id, out _);
            }
        }
    }
}
