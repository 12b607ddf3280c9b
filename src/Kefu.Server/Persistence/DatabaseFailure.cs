using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace Kefu.Server.Persistence;

/// <summary>Tells a database that cannot be reached right now from a request that is wrong, whatever the provider.</summary>
internal static class DatabaseFailure
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, says the database is restarting, unreachable or
    /// overloaded (the provider's own <see cref="DbException.IsTransient"/>, SQLSTATE classes 08 "connection
    /// exception" and 57P "operator intervention", sockets, timeouts). Such a failure is worth a resend; a
    /// constraint violation is not.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                case DbException { SqlState: { } state } when state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal):
                // SQLITE_BUSY and SQLITE_LOCKED after the busy timeout: another process holds the file (a backup, a
                // migration run by hand); Microsoft.Data.Sqlite does not mark them transient itself.
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                case SocketException or TimeoutException or EndOfStreamException:
                    return true;
            }
        }

        return false;
    }
}
