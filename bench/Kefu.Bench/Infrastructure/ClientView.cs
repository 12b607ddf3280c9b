using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// What one client shows: messages per conversation by Seq, merged from live events and from
/// resyncs after every reconnect, exactly as the widget and the console do it.
/// </summary>
public sealed class ClientView
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<long, MessageDto>> _byConversation = new();
    private long _conflicts;

    /// <summary>Times a Seq arrived with a different message than one already shown there.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    public IReadOnlyDictionary<Guid, ConcurrentDictionary<long, MessageDto>> Conversations => _byConversation;

    public void Merge(MessageDto message)
    {
        var list = _byConversation.GetOrAdd(message.ConversationId, _ => new());
        var shown = list.GetOrAdd(message.Seq, message);
        if (shown.Id != message.Id)
        {
            Interlocked.Increment(ref _conflicts);
        }
    }

    /// <summary>The highest Seq up to which nothing is missing: where a resync continues.</summary>
    public long Contiguous(Guid conversationId)
    {
        if (!_byConversation.TryGetValue(conversationId, out var list))
        {
            return 0;
        }

        long seq = 0;
        while (list.ContainsKey(seq + 1))
        {
            seq++;
        }

        return seq;
    }

    public async Task ResyncVisitorAsync(HubConnection hub)
    {
        var conversations = await hub.InvokeAsync<HubResult<List<VisitorConversation>>>("GetConversations");
        foreach (var c in conversations.Value ?? [])
        {
            await CatchUpAsync(hub, c.Id, c.LastSeq);
        }
    }

    public async Task ResyncAgentAsync(HubConnection hub)
    {
        var conversations = await hub.InvokeAsync<HubResult<List<AgentConversation>>>("ListConversations", "all", 500);
        foreach (var c in conversations.Value ?? [])
        {
            await CatchUpAsync(hub, c.Id, c.LastSeq);
        }
    }

    private async Task CatchUpAsync(HubConnection hub, Guid conversationId, long lastSeq)
    {
        for (var after = Contiguous(conversationId); after < lastSeq;)
        {
            var page = await hub.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversationId, after, 200);
            foreach (var m in page.Value?.Messages ?? [])
            {
                Merge(m);
            }

            var next = Contiguous(conversationId);
            if (page.Value is not { HasMore: true } || next <= after)
            {
                break;
            }

            after = next;
        }
    }
}

public sealed record AgentConversation(Guid Id, long LastSeq, string Status);
