using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Keeps one <see cref="MailboxWatcher"/> running per live e-mail inbox: every <see cref="EmailOptions.ReconcileSeconds"/>
/// it starts watchers for new inboxes and stops those of deleted ones. Each watcher takes its inbox's lease, so with
/// several nodes every mailbox is read by one of them.
/// </summary>
internal sealed partial class EmailReceiver(
    IDbContextFactory<KefuDbContext> dbFactory, MailboxWatcher watcher, IOptions<EmailOptions> options, TimeProvider time, ILogger<EmailReceiver> logger)
    : BackgroundService
{
    private readonly Dictionary<Guid, (Task Run, CancellationTokenSource Stop)> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ReconcileSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogReconcileFailed(logger, ex);
                }

                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var (_, stop) in _running.Values)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(_running.Values.Select(r => r.Run));
            foreach (var (_, stop) in _running.Values)
            {
                stop.Dispose();
            }
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        List<Guid> live;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
        {
            live = await db.Inboxes.AsNoTracking().Where(i => i.Channel == ChannelType.Email && i.ArchivedAt == null).Select(i => i.Id).ToListAsync(stoppingToken);
        }

        foreach (var id in live.Where(id => !_running.ContainsKey(id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _running[id] = (Task.Run(() => watcher.RunAsync(id, stop.Token), CancellationToken.None), stop);
        }

        foreach (var id in _running.Keys.Except(live).ToList())
        {
            var (run, stop) = _running[id];
            await stop.CancelAsync();
            await run;
            stop.Dispose();
            _running.Remove(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "E-mail inboxes could not be listed; trying again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception ex);
}
