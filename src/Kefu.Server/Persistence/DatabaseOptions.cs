using System.ComponentModel.DataAnnotations;
using Kefu.Server.Hosting;

namespace Kefu.Server.Persistence;

/// <summary>Storage settings, section <c>Kefu:Database</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Database";

    /// <summary><c>Sqlite</c> (default, embedded, nothing to install) or <c>Postgres</c> (scale-out).</summary>
    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Folder for the SQLite file, uploads and data-protection keys. Relative paths resolve against the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string; required when <see cref="Provider"/> is <c>Postgres</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Most messages committed in one transaction by the group-commit writer.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long the writer waits for more messages when a batch is small, before committing it. 0 (default):
    /// commit at once; messages that arrive during a commit form the next batch anyway. Measured at 1,500 msg/s
    /// (docs/benchmarks.md): a 2 ms window gave p99 31 ms, none 14 ms, at the same CPU. A window can still pay
    /// on disks with slow fsync.
    /// </summary>
    [TimeSpanRange("00:00:00", "00:00:00.050")]
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.Zero;

    /// <summary>A batch at least this large commits without waiting for the window.</summary>
    [Range(1, 10_000)]
    public int GroupCommitTarget { get; set; } = 64;

    /// <summary>
    /// Most people's messages (visitors, agents, channels) waiting for the writer; one more is refused at once with
    /// <c>server_busy</c> (HTTP 429) and nothing stored, so an overload sheds its excess instead of growing a queue,
    /// and its memory, without bound. SignalR runs one call per connection at a time, so the queue holds at most one
    /// message per sending connection plus HTTP sends: the limit bites when more than this many send at the same
    /// instant. 1,000 is about a third of a second of commits on a small two-core machine (docs/benchmarks.md,
    /// <c>overload</c>). Bot and system messages come from the durable outbox, which paces itself, and are not refused.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPendingWrites { get; set; } = 1_000;

    /// <summary>
    /// SQLite only: once the write-ahead log holds this many MiB, the checkpointer starts it over (a checkpoint that
    /// briefly holds the writer back, at most <see cref="WalRestartWait"/> while readers finish). Without it the log
    /// never starts over while messages keep arriving (each background checkpoint is always a little behind the
    /// writer), and grows by gigabytes an hour under sustained load. 0: never force it (the log then starts over only
    /// in a pause).
    /// </summary>
    [Range(0, 1_000_000)]
    public int WalRestartMiB { get; set; } = 256;

    /// <summary>The longest the restart of the write-ahead log waits for readers (and so holds the writer back); when
    /// they take longer, it gives up and tries again at the next checkpoint.</summary>
    [TimeSpanRange("00:00:00.001", "00:00:05")]
    public TimeSpan WalRestartWait { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Resolves <see cref="DataDirectory"/> to an absolute path and creates it.</summary>
    public string EnsureDataDirectory()
    {
        var path = Path.GetFullPath(DataDirectory);
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>The relational database in use.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded SQLite file (WAL, synchronous=FULL).</summary>
    Sqlite,

    /// <summary>PostgreSQL server.</summary>
    Postgres,
}
