using System.Data.Common;
using Kefu.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Persistence;

/// <summary>
/// Chooses the database from <c>Kefu:Database</c> and registers the DbContext and the outbox. Each provider's context
/// runs on the compiled model in <c>Persistence/CompiledModels</c> (EF finds it through its assembly attribute): a start
/// does not build the model from the entity configurations. <c>scripts/compiled-model.sh</c> regenerates it after a
/// schema change; <c>CompiledModelTests</c> fails while it is stale.
/// </summary>
internal static class PersistenceModule
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Kefu:Database:ConnectionString is required when the provider is Postgres.")
            .ValidateOnStart();

        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.Postgres)
        {
            services.AddPooledDbContextFactory<PostgresKefuDbContext>(o => ConfigurePostgres(o, options.ConnectionString!));
            services.AddSingleton<IDbContextFactory<KefuDbContext>, Factory<PostgresKefuDbContext>>();
        }
        else
        {
            var connectionString = SqliteConnectionString(options.EnsureDataDirectory());
            services.AddPooledDbContextFactory<SqliteKefuDbContext>(o => ConfigureSqlite(o, connectionString));
            services.AddSingleton<IDbContextFactory<KefuDbContext>, Factory<SqliteKefuDbContext>>();
            services.AddHostedService<SqliteCheckpointer>();
        }

        // Identity's stores and request-scoped code take a context per request.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContext());
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<WakeSignal>(sp => sp.GetRequiredService<OutboxSignal>());
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, "kefu.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance);

    public static void ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString);

    /// <summary>Applies pending migrations; returns how many there were.</summary>
    public static async Task<int> InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<KefuDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = 0;
        if (!await IsUpToDateAsync(db, cancellationToken))
        {
            // Migrate itself also diffs the model against the last migration's snapshot on every call (EF's pending-model
            // check): about a second of start-up spent on a database that is already up to date. Asking for the pending
            // migrations reads the history table only; when there are some, Migrate runs as before, under its lock, and
            // checks again, so two nodes starting together still migrate once.
            pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
        }

        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets readers work while the writer commits; it is stored in the file, once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        return pending;
    }

    /// <summary>
    /// True when the history table's newest row is this build's newest migration: one indexed read, without EF's
    /// history repository (which builds a model of its own with the full convention set, a few hundred milliseconds of
    /// a cold start). Anything else — no table yet, an older or a newer database, an error — answers false, and the
    /// caller takes EF's full path, which decides and locks as before.
    /// </summary>
    public static async Task<bool> IsUpToDateAsync(KefuDbContext db, CancellationToken cancellationToken = default)
    {
        var newest = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).LastOrDefault();
        if (newest is null)
        {
            return false;
        }

        var connection = db.Database.GetDbConnection();
        try
        {
            // Inside the try: on PostgreSQL a database that does not exist yet fails here, and Migrate creates it.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT \"MigrationId\" FROM \"{HistoryRepository.DefaultTableName}\" ORDER BY \"MigrationId\" DESC LIMIT 1";
            return await command.ExecuteScalarAsync(cancellationToken) is string applied && applied == newest;
        }
        catch (DbException)
        {
            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private sealed class Factory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<KefuDbContext>
        where TContext : KefuDbContext
    {
        public KefuDbContext CreateDbContext() => inner.CreateDbContext();
    }

    /// <summary>How long a SQLite connection waits for another's write lock before failing (every connection's <c>busy_timeout</c>).</summary>
    internal const int SqliteBusyTimeoutMs = 10_000;

    /// <summary>
    /// synchronous=FULL is per connection and not persisted: set it on every open so that a commit
    /// is on disk (WAL fsynced) before anything is acknowledged.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            // Checkpoints run in SqliteCheckpointer, not inside whichever commit crosses the WAL limit.
            // busy_timeout lets SQLite's own handler wait for a short write lock in 1, 2, 5 ms steps; without it
            // the provider retries a busy BEGIN every 150 ms, a stall every ack behind it would share.
            command.CommandText = $"PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout={SqliteBusyTimeoutMs};";
            command.ExecuteNonQuery();
        }
    }
}
