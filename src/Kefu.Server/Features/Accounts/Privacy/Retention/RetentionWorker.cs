using Kefu.Server.Persistence;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Privacy.Retention;

/// <summary>
/// Runs <see cref="ApplyRetention"/> at start and then every <see cref="PrivacyOptions.RetentionInterval"/>, on the
/// one node holding the <c>retention</c> lease, with a new scope per run.
/// </summary>
internal sealed partial class RetentionWorker(
    IServiceScopeFactory scopes, LeaseStore leases, IOptions<PrivacyOptions> options, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    public const string LeaseName = "retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A fixed cadence from each run's start: a long run does not push the next one back by its length.
                var next = time.GetUtcNow() + options.Value.RetentionInterval;
                try
                {
                    if (await leases.HoldAsync(LeaseName, stoppingToken))
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        await scope.ServiceProvider.GetRequiredService<ApplyRetention>().RunAsync(stoppingToken);
                        LogRunDone(logger);
                    }
                    else
                    {
                        LogSkipped(logger);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRunFailed(logger, ex);
                }

                if (next - time.GetUtcNow() is { Ticks: > 0 } wait)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the batch in flight either committed or rolled back, and the next run finds the rest.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Retention run finished")]
    private static partial void LogRunDone(ILogger logger);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Retention run skipped: another node holds the lease")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention run failed; the next run tries again")]
    private static partial void LogRunFailed(ILogger logger, Exception ex);
}
