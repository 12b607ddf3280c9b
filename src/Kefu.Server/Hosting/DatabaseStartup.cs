using Kefu.Server.Persistence;

namespace Kefu.Server.Hosting;

/// <summary>
/// Migrates the database and seeds the demo workspace. As a hosted service registered first, it
/// runs after options are validated (a wrong setting stops the host before anything is written)
/// and before the workers and the server start. Both steps are timed in the log: they are most of
/// what a start costs (docs/benchmarks.md, "Start-up, memory and sessions").
/// </summary>
internal sealed partial class DatabaseStartup(IServiceProvider services, TimeProvider time, ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var migrations = await services.InitializeDatabaseAsync(cancellationToken);
        var migrated = time.GetTimestamp();
        await DemoSeeder.SeedAsync(services, cancellationToken);
        LogReady(logger, migrations, (long)time.GetElapsedTime(started, migrated).TotalMilliseconds, (long)time.GetElapsedTime(migrated).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Migrations} migrations applied in {MigrateMs} ms, seed checked in {SeedMs} ms")]
    private static partial void LogReady(ILogger logger, int migrations, long migrateMs, long seedMs);
}
