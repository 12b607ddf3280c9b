using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Persistence;

/// <summary>
/// Moves SQLite's WAL checkpoints off the message writer, and keeps the WAL from growing without bound.
/// <para>
/// By default the connection whose commit pushes the WAL past 1,000 pages copies it back into the database (with an
/// fsync) inside that commit, which stalled every acknowledgement behind it for 100–200 ms every few seconds.
/// Connections turn automatic checkpoints off (<see cref="PersistenceModule"/>), and this service runs a PASSIVE
/// checkpoint every second, which never waits for or blocks the writer.
/// </para>
/// <para>
/// A PASSIVE checkpoint never lets the WAL start over while messages keep arriving: SQLite reuses the file from its
/// start only when a writer begins after a checkpoint that copied every frame, and under load the writer has always
/// appended more by then. So when the WAL passes <see cref="DatabaseOptions.WalRestartMiB"/>, a TRUNCATE checkpoint
/// follows the passive one. It copies only the frames written since (the passive one did the rest), holds the writer
/// back for that and one fsync, and waits at most <see cref="DatabaseOptions.WalRestartWait"/> for readers; a busy
/// result is tried again a second later.
/// </para>
/// </summary>
internal sealed partial class SqliteCheckpointer(
    IDbContextFactory<KefuDbContext> dbFactory, SqliteWriteGate gate, IOptions<DatabaseOptions> options, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CheckpointAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckpointFailed(logger, ex);
            }
        }
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var (_, walPages, _) = await RunAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", ct);
            var limit = options.Value.WalRestartMiB;
            if (limit == 0 || walPages * await PageSizeAsync(connection, ct) < limit * 1024L * 1024L)
            {
                return;
            }

            // In the write line behind the message writer: the restart then waits only for readers, never races a commit.
            using var turn = await gate.EnterAsync(first: false, ct);
            await RunAsync(connection, $"PRAGMA busy_timeout={(int)options.Value.WalRestartWait.TotalMilliseconds};", ct);
            try
            {
                var (busy, _, _) = await RunAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", ct);
                if (busy)
                {
                    LogRestartBusy(logger, walPages);
                }
            }
            finally
            {
                // The native connection goes back to the pool, and a writer must never inherit the short wait.
                await RunAsync(connection, $"PRAGMA busy_timeout={PersistenceModule.SqliteBusyTimeoutMs};", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Runs a checkpoint pragma; its row is (busy, frames in the WAL, frames copied back).</summary>
    private static async Task<(bool Busy, long Log, long Checkpointed)> RunAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.FieldCount >= 3
            ? (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2))
            : (false, 0, 0);
    }

    private static async Task<long> PageSizeAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size;";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint failed; the next one retries")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The WAL ({Pages} pages) could not start over: readers were busy; the next checkpoint tries again")]
    private static partial void LogRestartBusy(ILogger logger, long pages);
}
