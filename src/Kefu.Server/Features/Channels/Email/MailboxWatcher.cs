using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Watches one inbox's mailbox while this node holds its lease (<c>email-inbox:{id}</c>): connects, handles what is
/// new, then waits in IDLE when the server offers it (woken by new mail, renewed every
/// <see cref="EmailOptions.PollSeconds"/>) or sleeps that long otherwise. A dropped connection or a changed setting
/// reconnects; another node's lease makes this one wait.
/// </summary>
internal sealed partial class MailboxWatcher(
    InboxDirectory inboxes, MailConnections connections, FetchMail fetch, LeaseStore leases, IOptions<EmailOptions> options,
    TimeProvider time, ILogger<MailboxWatcher> logger)
{
    public static string LeaseName(Guid inboxId) => $"email-inbox:{inboxId:N}";

    public async Task RunAsync(Guid inboxId, CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var lease = LeaseName(inboxId);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await leases.HoldAsync(lease, interval * 4, stoppingToken)
                        && await inboxes.ByIdAsync(inboxId, stoppingToken) is { ArchivedAt: null } inbox && EmailSettings.Read(inbox) is { } settings)
                    {
                        await WatchAsync(inbox, settings, lease, interval, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogConnectionFailed(logger, ex, inboxId);
                }

                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the inbox was deleted or the server shuts down.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(lease);
        }
    }

    /// <summary>One connection's life: passes until the lease is lost, the settings change or the connection drops.</summary>
    private async Task WatchAsync(Inbox inbox, EmailSettings settings, string lease, TimeSpan interval, CancellationToken stoppingToken)
    {
        using var client = await connections.OpenImapAsync(settings, stoppingToken);
        var folder = client.Inbox;
        await folder.OpenAsync(FolderAccess.ReadOnly, stoppingToken);
        var idle = client.Capabilities.HasFlag(ImapCapabilities.Idle);
        while (!stoppingToken.IsCancellationRequested && client.IsConnected)
        {
            await fetch.PassAsync(inbox, settings, folder, stoppingToken);
            if (idle)
            {
                await IdleAsync(client, folder, interval, stoppingToken);
            }
            else
            {
                await Task.Delay(interval, time, stoppingToken);
                await client.NoOpAsync(stoppingToken); // lets the server report new mail
            }

            if (!await leases.HoldAsync(lease, interval * 4, stoppingToken)
                || await inboxes.ByIdAsync(inbox.Id, stoppingToken) is not { ArchivedAt: null } now || now.ChannelSettings != inbox.ChannelSettings)
            {
                break; // lost the lease, or the inbox changed: start again from the top
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync(true, CancellationToken.None);
        }
    }

    private static async Task IdleAsync(ImapClient client, IMailFolder folder, TimeSpan interval, CancellationToken stoppingToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        done.CancelAfter(interval);
        void Arrived(object? sender, EventArgs e) => done.Cancel();
        folder.CountChanged += Arrived;
        try
        {
            await client.IdleAsync(done.Token, stoppingToken);
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mailbox of inbox {InboxId} could not be read; trying again")]
    private static partial void LogConnectionFailed(ILogger logger, Exception ex, Guid inboxId);
}
