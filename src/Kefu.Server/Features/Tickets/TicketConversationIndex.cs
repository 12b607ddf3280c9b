using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// The conversations that have a ticket to tell about their customer's messages (not merged away, not closed longer
/// than <see cref="FollowUpDays"/> ago), in memory, so the durable-lane consumer's <c>Handles</c> is one set lookup and a
/// pass with no such conversation costs no statement. Reloaded every 30 seconds on each node (one query) and added to
/// at once on the node that creates a ticket; on another node a new ticket's chat is picked up at the next reload.
/// </summary>
internal sealed partial class TicketConversationIndex(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time, ILogger<TicketConversationIndex> logger)
    : BackgroundService
{
    public const int FollowUpDays = 30;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private volatile HashSet<Guid> _ids = [];
    private readonly Lock _gate = new();

    public bool Contains(Guid conversationId) => _ids.Contains(conversationId);

    public void Add(Guid conversationId)
    {
        lock (_gate)
        {
            _ids = [.. _ids, conversationId];
        }
    }

    public async Task ReloadAsync(CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddDays(-FollowUpDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Set<Ticket>().AsNoTracking()
            .Where(t => t.ConversationId != null && t.MergedIntoId == null && (t.Status != TicketStatus.Closed || t.ClosedAt >= since))
            .Select(t => t.ConversationId!.Value).Distinct().ToListAsync(ct);
        lock (_gate)
        {
            _ids = [.. ids];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReloadAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReloadFailed(logger, ex);
                }

                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ticket conversation index could not be reloaded; the last one stays")]
    private static partial void LogReloadFailed(ILogger logger, Exception ex);
}
