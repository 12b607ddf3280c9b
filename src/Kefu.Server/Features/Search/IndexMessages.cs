using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Indexes new messages from the durable lane, after the message writer committed: the message path gains no write,
/// trigger or index of its own. A group commit's messages arrive as one list and are indexed with one read and one
/// <c>SaveChanges</c>. At least once: a replay finds its messages indexed and adds nothing; a race with the backfill
/// fails on the unique index and the dispatcher retries the row, which then adds only what is missing.
/// </summary>
internal sealed partial class IndexMessages(IDbContextFactory<KefuDbContext> dbFactory, ILogger<IndexMessages> logger) : IOutboxConsumer
{
    public string Name => "search";

    public bool Handles(ConversationEvent e) => e is MessageCreated;

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.OfType<MessageCreated>().Select(m => m.MessageId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var added = await SearchIndexWriter.IndexMessagesAsync(db, ids, cancellationToken);
        LogIndexed(logger, added, ids.Count);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Search indexed {Added} of {Messages} new messages")]
    private static partial void LogIndexed(ILogger logger, int added, int messages);
}
