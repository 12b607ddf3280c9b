using Kefu.Server.Features.Agents;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// One per node: runs a <see cref="RoutingPass"/> whenever something signals (a conversation queued, an agent
/// freed up, presence or settings changed) and at least every <see cref="RoutingOptions.PassInterval"/> for
/// offer timeouts and overflow. Nodes may race on the same conversation; the conditional claim decides.
/// </summary>
internal sealed partial class Router(RoutingPass pass, RoutingSignal signal, AgentPresence presence, IOptions<RoutingOptions> options, ILogger<Router> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        presence.Changed += OnPresenceChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await pass.RunAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await signal.WaitAsync(options.Value.PassInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            presence.Changed -= OnPresenceChanged;
        }
    }

    private void OnPresenceChanged(Guid userId) => signal.Notify();

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing pass failed; retrying on the next signal")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
