using System.Text.Json;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// Runs a <see cref="RoutingPass"/> whenever something signals (a conversation queued, an agent freed up, presence
/// or settings changed) and at least every <see cref="RoutingOptions.PassInterval"/> for offer timeouts and overflow,
/// on one node of the cluster at a time: the holder of the <c>router</c> lease. Round-robin order and the stats stay
/// in one place that way; the conditional claim would keep two routers correct anyway (ADR 0004), and another node
/// takes over within the lease time if the holder dies.
/// </summary>
internal sealed partial class Router(
    RoutingPass pass, RoutingSignal signal, IAgentPresence presence, LeaseStore leases, RoutingStats stats, ISharedState shared,
    IOptions<RoutingOptions> options, ILogger<Router> logger) : BackgroundService
{
    public const string LeaseName = "router";

    /// <summary>Where the lease holder leaves its stats for <c>GET /api/v1/routing/stats</c> on any node.</summary>
    public const string StatsKey = "routing-stats";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        presence.Changed += OnPresenceChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(LeaseName, stoppingToken))
                    {
                        await pass.RunAsync(stoppingToken);
                        if (options.Value.ExposeStats)
                        {
                            await shared.SetAsync(StatsKey, JsonSerializer.Serialize(stats.Snapshot()), TimeSpan.FromMinutes(10));
                        }
                    }
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
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    private void OnPresenceChanged(Guid userId) => signal.NotifyLocal();

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing pass failed; retrying on the next signal")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);

}
