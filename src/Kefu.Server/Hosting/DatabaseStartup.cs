using Kefu.Server.Persistence;

namespace Kefu.Server.Hosting;

/// <summary>
/// Migrates the database and seeds the demo workspace. As a hosted service registered first, it
/// runs after options are validated (a wrong setting stops the host before anything is written)
/// and before the workers and the server start.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await services.InitializeDatabaseAsync(cancellationToken);
        await DemoSeeder.SeedAsync(services, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
