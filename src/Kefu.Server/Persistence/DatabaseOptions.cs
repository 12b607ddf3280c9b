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
