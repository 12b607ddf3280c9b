using System.ComponentModel.DataAnnotations;

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
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.050")]
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.Zero;

    /// <summary>A batch at least this large commits without waiting for the window.</summary>
    [Range(1, 10_000)]
    public int GroupCommitTarget { get; set; } = 64;

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
