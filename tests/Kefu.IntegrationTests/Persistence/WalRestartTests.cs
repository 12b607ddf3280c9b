using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kefu.IntegrationTests.Persistence;

/// <summary>
/// SQLite's write-ahead log starts over while messages keep arriving (<c>Kefu:Database:WalRestartMiB</c>, here 1 MiB):
/// without the checkpointer's restart, background checkpoints are always a little behind the writer and the file only
/// ever grows.
/// </summary>
public sealed class WalRestartTests : IAsyncLifetime
{
    private const long Limit = 1024 * 1024;
    private readonly KefuFactory _server = new() { Settings = new Dictionary<string, string> { ["Kefu:Database:WalRestartMiB"] = "1" } };

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UnderASteadyStreamOfMessages_TheWriteAheadLogStartsOverOnceItPassesTheLimit()
    {
        var checkpointer = _server.Services.GetServices<IHostedService>().Any(s => s.GetType().Name == "SqliteCheckpointer");
        if (_server.PostgresConnection is not null)
        {
            Assert.False(checkpointer, "PostgreSQL has no SQLite checkpointer");
            return;
        }

        Assert.True(checkpointer);
        var wal = Path.Combine(_server.DataDirectory, "kefu.db-wal");
        await using var hub = await _server.ConnectVisitorAsync((await _server.NewVisitorAsync()).Token);
        var first = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "wal-0", "hello", null));
        var conversation = first.Value!.ConversationId;

        using var stop = new CancellationTokenSource();
        var sent = 0;
        var sender = Task.Run(async () =>
        {
            var text = new string('x', 2000);
            while (!stop.IsCancellationRequested)
            {
                var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(conversation, $"wal-{++sent}", text, null));
                Assert.True(ack.Ok, ack.Error?.Code);
            }
        });

        long largest = 0, current = 0;
        try
        {
            await Wait.UntilAsync(() =>
            {
                current = File.Exists(wal) ? new FileInfo(wal).Length : 0;
                largest = Math.Max(largest, current);
                Assert.False(sender.IsFaulted, "the sender failed");
                return Task.FromResult(largest >= Limit && current < largest / 4);
            }, "the WAL to pass 1 MiB and then start over while messages keep arriving", 30);
        }
        finally
        {
            await stop.CancelAsync();
            await sender;
        }

        Assert.True(sent > 0);
    }
}
