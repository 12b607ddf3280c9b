namespace Kefu.Server.Features.Calls;

/// <summary>Ends calls nobody answered within the ring timeout (as <c>missed</c>), so a ringing call never outlives its callers.</summary>
internal sealed partial class CallRingSweep(CallRegistry registry, CallLifecycle lifecycle, TimeProvider time, ILogger<CallRingSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var call in registry.Live.ToList())
            {
                try
                {
                    await lifecycle.EndIfUnansweredAsync(call);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(logger, call.Id, ex);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ending unanswered call {CallId} failed; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Guid callId, Exception ex);
}
