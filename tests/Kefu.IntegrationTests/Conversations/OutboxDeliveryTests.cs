using System.Collections.Concurrent;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Conversations;

/// <summary>
/// The dispatcher hands each consumer the events of many outbox rows in one call. One event a consumer keeps failing
/// on must not cost the other rows their delivery: the consumer gets the rows one by one, the bad row is retried
/// alone and set aside after <see cref="OutboxDispatcher.MaxAttempts"/>, and a consumer that did not fail sees every
/// event exactly once.
/// </summary>
public sealed class OutboxDeliveryTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<Guid, byte> _poisoned = new();
    private readonly ConcurrentQueue<Guid> _healthy = new();
    private readonly ConcurrentQueue<Guid> _picky = new();
    private readonly KefuFactory _server;

    public OutboxDeliveryTests() => _server = new KefuFactory
    {
        ExtraServices = s =>
        {
            s.AddSingleton<IOutboxConsumer>(new Recorder("test-healthy", _healthy, _ => false));
            s.AddSingleton<IOutboxConsumer>(new Recorder("test-picky", _picky, e => _poisoned.ContainsKey(e.ContactId)));
        },
    };

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AConsumerFailingOnOneEvent_StillGetsTheOthers_AndTheRestSeeEachEventOnce()
    {
        var sessions = new List<WidgetSession>();
        for (var i = 0; i < 8; i++)
        {
            sessions.Add(await _server.NewVisitorAsync());
        }

        _poisoned[sessions[3].ContactId] = 0;
        var hubs = new List<HubConnection>();
        foreach (var session in sessions)
        {
            hubs.Add(await _server.ConnectVisitorAsync(session.Token));
        }

        try
        {
            // The poisoned message commits first, in a row of its own (a row is delivered or owed as a whole); the
            // others follow together while that row is still being retried, so passes hold both kinds of rows.
            Task<HubResult<SendMessageResult>> Send(int i) =>
                hubs[i].InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, $"outbox-{i}", "hello", null));
            var poisonedId = (await Send(3)).Value!.MessageId;
            var others = await Task.WhenAll(Enumerable.Range(0, hubs.Count).Where(i => i != 3).Select(Send));
            var ids = others.Select(a => a.Value!.MessageId).Append(poisonedId).ToList();

            await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Outbox.AllAsync(o => o.ProcessedAt != null)), "every outbox row is done or set aside");

            Assert.Equal(ids.Order(), _healthy.Where(ids.Contains).Order());
            Assert.Equal(ids.Where(id => id != poisonedId).Order(), _picky.Where(ids.Contains).Distinct().Order());
            Assert.DoesNotContain(poisonedId, _picky);

            var setAside = await _server.WithDbAsync(db => db.Outbox.Where(o => o.Pending != null).ToListAsync());
            var row = Assert.Single(setAside);
            Assert.Equal("test-picky", row.Pending);
            Assert.Equal(OutboxDispatcher.MaxAttempts, row.Attempts);
            Assert.Contains("poisoned event", row.LastError);
            Assert.Contains(ConversationJournal.Read(row), e => e is MessageCreated m && m.MessageId == poisonedId);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }
    }

    /// <summary>Records the messages it is given; throws on the ones <paramref name="fails"/> picks.</summary>
    private sealed class Recorder(string name, ConcurrentQueue<Guid> seen, Func<MessageCreated, bool> fails) : IOutboxConsumer
    {
        public string Name => name;

        public bool Handles(ConversationEvent e) => e is MessageCreated { Sender: SenderType.Visitor };

        public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
        {
            var message = (MessageCreated)e;
            if (fails(message))
            {
                throw new InvalidOperationException("A poisoned event.");
            }

            seen.Enqueue(message.MessageId);
            return Task.CompletedTask;
        }
    }
}
