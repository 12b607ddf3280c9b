using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Persistence;

/// <summary>
/// For writes whose loss in a power cut costs nothing but a replay: marking outbox rows done (at-least-once consumers
/// see the events again) and derived rows that a start rebuilds (the search index's backfill). On SQLite their commits
/// skip the WAL fsync (<c>synchronous=NORMAL</c>), so they neither pay for one nor hold the single write lock through
/// one while the message writer waits behind them. The next open of the pooled connection sets <c>FULL</c> again
/// (<see cref="PersistenceModule"/>). Nothing on PostgreSQL, where each connection's commits are separate.
/// </summary>
internal static class RelaxedDurability
{
    /// <summary>Opens <paramref name="db"/>'s connection (it stays open until the context is disposed) with fsync-free commits on SQLite.</summary>
    public static async Task UseAsync(KefuDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
        }
    }
}
