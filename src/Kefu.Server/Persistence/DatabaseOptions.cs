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
    /// How long the writer waits for more messages when a batch is small, before committing it. A commit has a
    /// fixed cost (transaction, reads, fsync); without a window, moderate load commits one or two messages at a
    /// time and spends a core on it. 0 commits at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.050")]
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.FromMilliseconds(2);

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
