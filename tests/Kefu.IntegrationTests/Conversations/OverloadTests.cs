using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Conversations;

/// <summary>
/// The writer's backlog is bounded (<c>Kefu:Database:MaxPendingWrites</c>, here 1): while the database holds the
/// writer up, one message more than the bound is refused at once with <c>server_busy</c> on the hub and 429 on HTTP,
/// and nothing of it is stored; the same message sent again later is stored once.
/// </summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private readonly KefuFactory _server = new() { Settings = new Dictionary<string, string> { ["Kefu:Database:MaxPendingWrites"] = "1" } };

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WritesOverTheBacklogLimit_AreRefusedWithServerBusy_OnTheHubAndAs429_AndNothingOfThemIsStored()
    {
        // Three visitors with a conversation each: SignalR runs one call per connection at a time, so each
        // blocked send needs its own connection.
        var visitors = new List<(HubConnection Hub, Guid Conversation)>();
        for (var i = 0; i < 3; i++)
        {
            var hub = await _server.ConnectVisitorAsync((await _server.NewVisitorAsync()).Token);
            var first = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, $"hello-{i}", "hello", null));
            visitors.Add((hub, first.Value!.ConversationId));
        }

        using var http = await _server.AgentHttpAsync();
        var accepted = new List<(string Id, Task<HubResult<SendMessageResult>> Ack)>();
        string? refusedId = null;
        KefuError? refusal = null;
        HttpResponseMessage agentSend;
        await using (await HoldWriterAsync())
        {
            // The first write is taken by the writer and waits on the lock; the next waits in the queue; the one after
            // finds the queue full. Which send that is depends on when the writer wakes, so send until one is refused.
            foreach (var (hub, conversation) in visitors)
            {
                var id = $"busy-{accepted.Count}";
                var ack = hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(conversation, id, "while busy", null));
                // A refusal comes back at once; an accepted send stays unanswered until the lock goes.
                if (await Task.WhenAny(ack, Task.Delay(TimeSpan.FromSeconds(1.5))) == ack && await ack is { Ok: false } result)
                {
                    (refusedId, refusal) = (id, result.Error);
                    break;
                }

                accepted.Add((id, ack));
            }

            agentSend = await http.PostAsJsonAsync($"/api/v1/conversations/{visitors[0].Conversation}/messages", new { clientMessageId = "agent-busy", text = "while busy" });
            Assert.All(accepted, a => Assert.False(a.Ack.IsCompleted, $"{a.Id} was answered while the writer was held"));
        }

        Assert.NotNull(refusedId);
        Assert.Equal(KefuError.ServerBusyCode, refusal!.Code);
        Assert.Equal(1, refusal.RetryAfterSeconds);
        Assert.Equal(HttpStatusCode.TooManyRequests, agentSend.StatusCode);
        Assert.NotNull(agentSend.Headers.RetryAfter?.Delta);
        Assert.Equal(KefuError.ServerBusyCode, (await agentSend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        // Released: what was queued commits; what was refused was never stored, and sent again it is stored once.
        Assert.All(await Task.WhenAll(accepted.Select(a => a.Ack)), ack => Assert.True(ack.Ok));
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ClientMessageId == refusedId || m.ClientMessageId == "agent-busy")));
        var resent = await visitors[accepted.Count].Hub.InvokeAsync<HubResult<SendMessageResult>>(
            "SendMessage", new VisitorSendMessage(visitors[accepted.Count].Conversation, refusedId!, "while busy", null));
        Assert.True(resent.Ok);
        Assert.False(resent.Value!.Duplicate);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ClientMessageId == refusedId)));
        foreach (var (hub, _) in visitors)
        {
            await hub.DisposeAsync();
        }
    }

    /// <summary>
    /// Holds the database's write lock on messages from outside, as a slow disk or a long transaction would:
    /// the writer's commit waits until the returned handle is disposed.
    /// </summary>
    private async Task<IAsyncDisposable> HoldWriterAsync()
    {
        var db = await _server.Services.GetRequiredService<IDbContextFactory<KefuDbContext>>().CreateDbContextAsync();
        var transaction = await db.Database.BeginTransactionAsync();
        // SQLite: a write statement takes the database's one write lock, even one that changes no row.
        // PostgreSQL: EXCLUSIVE blocks inserts into the table and still lets readers through.
        await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite()
            ? "UPDATE Messages SET Seq = Seq WHERE 1 = 0"
            : "LOCK TABLE \"Messages\" IN EXCLUSIVE MODE");
        return new Held(db, transaction);
    }

    private sealed class Held(KefuDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }
}
