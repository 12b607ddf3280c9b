using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Persistence;

/// <summary>
/// Moves SQLite's WAL checkpoints off the message writer. By default the connection whose commit
/// pushes the WAL past 1,000 pages copies it back into the database (with an fsync) inside that
/// commit, which stalled every acknowledgement behind it for 100–200 ms every few seconds.
/// Connections turn automatic checkpoints off (<see cref="PersistenceModule"/>), and this service
/// runs a PASSIVE checkpoint every second, which never waits for or blocks the writer.
/// </summary>
internal sealed partial class SqliteCheckpointer(IDbContextFactory<KefuDbContext> dbFactory, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckpointFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint failed; the next one retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex);
}
