using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Hands new messages from the durable lane to the index, after the message writer committed: the message path gains
/// no write, trigger or index of its own. The ids are queued and written a few times a second
/// (<see cref="SearchIndexQueue"/>), so a pass of the lane costs no database work here. Replays are harmless: a
/// message already indexed is skipped when the queue is written.
/// </summary>
internal sealed class IndexMessages(SearchIndexQueue queue) : IOutboxConsumer
{
    public string Name => "search";

    public bool Handles(ConversationEvent e) => e is MessageCreated;

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        queue.Add(events.OfType<MessageCreated>().Select(m => m.MessageId));
        return Task.CompletedTask;
    }
}
