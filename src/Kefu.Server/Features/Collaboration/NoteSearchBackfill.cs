using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Search.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// Adds to search the private notes written before notes were indexed (issue 14), once, in the background, on one node
/// (lease <c>note-search-backfill</c>). It keeps no cursor: its progress is the data itself — each pass takes the next
/// batch of notes that have no document (an anti-join), so after a restart it goes on with what is left, and once none
/// is left it stops, having cost one query. Documents are written through <see cref="INoteSearchIndex"/>, the same call a
/// new note makes; the message path's index writer is not involved. A note anonymised with its conversation
/// (<see cref="NotePersonalData"/>) has no words left and is never indexed again.
/// </summary>
internal sealed partial class NoteSearchBackfill(
    IDbContextFactory<KefuDbContext> dbFactory, INoteSearchIndex index, INoteSearchBackfill indexed, LeaseStore leases, TimeProvider time,
    ILogger<NoteSearchBackfill> logger) : BackgroundService
{
    public const string LeaseName = "note-search-backfill";
    public const int BatchSize = 200;

    /// <summary>How long to wait before trying again when another node holds the lease or a pass failed.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, RetryAfter * 5, stoppingToken))
                    {
                        var total = 0;
                        int added;
                        while ((added = await BatchAsync(stoppingToken)) > 0)
                        {
                            total += added;
                            await leases.HoldAsync(LeaseName, RetryAfter * 5, stoppingToken);
                        }

                        if (total > 0)
                        {
                            LogDone(logger, total);
                        }

                        await leases.ReleaseAsync(LeaseName, stoppingToken);
                        return; // nothing left: notes written from now on are indexed when written
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(RetryAfter, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the next start goes on with the notes still without a document.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    /// <summary>Indexes the next batch of notes without a document, in one transaction; returns how many.</summary>
    public async Task<int> BatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var done = indexed.IndexedNoteIds(db);
        var notes = await db.Notes.AsNoTracking().Where(n => !done.Contains(n.Id) && n.Text != PersonalData.RemovedText).OrderBy(n => n.Id).Take(BatchSize)
            .Select(n => new
            {
                n.Id, n.TenantId, n.ConversationId, n.CreatedAt, n.Text,
                // Where search opens it: the conversation's last message when the note was written, as a new note records it.
                Seq = db.Messages.Where(m => m.ConversationId == n.ConversationId && m.CreatedAt <= n.CreatedAt).Max(m => (long?)m.Seq) ?? 0,
            })
            .ToListAsync(cancellationToken);
        foreach (var n in notes)
        {
            await index.StageAsync(db, n.TenantId, n.Id, n.ConversationId, n.Seq, n.CreatedAt, n.Text, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return notes.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search backfill: {Count} earlier notes added to search")]
    private static partial void LogDone(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search backfill of notes failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
