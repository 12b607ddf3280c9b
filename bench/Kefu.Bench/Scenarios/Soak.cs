using System.Collections.Concurrent;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>soak</c>: messages flow both ways (visitors write, the agent answers) while every
/// cycle drops all sockets mid-flow and every few cycles restarts the server. Clients resend
/// unacked messages with the same ids and resync by Seq. At the end what each visitor and the
/// agent show must equal the database, in order: <c>gaps</c> and <c>duplicates</c> must be 0.
/// </summary>
public static class Soak
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var cycles = options.GetInt("cycles", 100);
        var visitorCount = options.GetInt("visitors", 20);
        var perCycle = options.GetInt("messages", 3);
        var restartEvery = options.GetInt("restart-every", 10);
        var run = Guid.NewGuid().ToString("N")[..6];

        await using var server = new ServerProcess();
        await server.StartAsync();
        using var client = new KefuClient(server.Url);
        var key = await client.DemoWidgetKeyAsync();
        var agentToken = await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        var visitors = new List<Peer>();
        for (var i = 0; i < visitorCount; i++)
        {
            visitors.Add(new Peer((await client.NewVisitorAsync(key)).Token, IsAgent: false));
        }

        var agent = new Peer(agentToken, IsAgent: true);
        var restarts = 0;
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            await Task.WhenAll(visitors.Append(agent).Select(p => p.ConnectAsync(client)));
            foreach (var (v, i) in visitors.Select((v, i) => (v, i)))
            {
                for (var k = 0; k < perCycle; k++)
                {
                    v.Queue($"{run}-v{i}-c{cycle}-{k}", null);
                }

                if (v.ConversationId is { } conversation)
                {
                    agent.Queue($"{run}-a{i}-c{cycle}", conversation);
                }
            }

            // Flow, then cut every socket while messages are still in flight.
            var flow = Task.WhenAll(visitors.Append(agent).Select(p => p.FlushAsync()));
            await Task.Delay(Random.Shared.Next(5, 40));
            await Task.WhenAll(visitors.Append(agent).Select(p => p.DropAsync()));
            await flow;
            if (restartEvery > 0 && cycle % restartEvery == 0)
            {
                await server.StopAsync();
                await server.StartAsync();
                restarts++;
            }

            if (cycle % 10 == 0)
            {
                Result.Progress($"cycle {cycle}/{cycles}");
            }
        }

        // Settle: reconnect, deliver every outbox, resync.
        for (var round = 0; round < 10 && visitors.Append(agent).Any(p => p.Pending > 0); round++)
        {
            await Task.WhenAll(visitors.Append(agent).Select(p => p.ConnectAsync(client)));
            await Task.WhenAll(visitors.Append(agent).Select(p => p.FlushAsync()));
        }

        await Task.WhenAll(visitors.Append(agent).Select(p => p.ConnectAsync(client)));

        // The server may still be writing: the bot and the router answer visitors' messages on their own lanes, after
        // the sends were acknowledged. Compare once the database has stopped growing, and give the live events of
        // those last messages a bounded time to arrive on the open sockets; a real gap stays a gap.
        var rows = await QuiescentMessagesAsync(server.DatabaseFile);
        var (gaps, duplicates) = Compare(visitors.Append(agent), rows);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); gaps > 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(200);
            rows = Database.Messages(server.DatabaseFile);
            (gaps, duplicates) = Compare(visitors.Append(agent), rows);
        }

        var unacked = visitors.Append(agent).Sum(p => p.Pending);
        var storedTwice = rows.Where(r => r.ClientMessageId.StartsWith(run, StringComparison.Ordinal)).GroupBy(r => r.ClientMessageId).Count(g => g.Count() > 1);
        await Task.WhenAll(visitors.Append(agent).Select(p => p.DropAsync()));
        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "soak",
            ["cycles"] = cycles,
            ["restarts"] = restarts,
            ["visitors"] = visitorCount,
            ["messages"] = rows.Count,
            ["gaps"] = gaps,
            ["duplicates"] = duplicates + storedTwice,
            ["unackedAtEnd"] = unacked,
            ["sendsCutByDrops"] = visitors.Append(agent).Sum(p => p.Interrupted),
        }, gaps == 0 && duplicates + storedTwice == 0 && unacked == 0);
    }

    private static (long Gaps, long Duplicates) Compare(IEnumerable<Peer> peers, List<Database.Row> rows)
    {
        var (gaps, duplicates) = (0L, 0L);
        foreach (var peer in peers)
        {
            var (g, d) = peer.Compare(rows);
            gaps += g;
            duplicates += d;
        }

        return (gaps, duplicates);
    }

    /// <summary>The messages once their number has not changed for a second (at most 30 s of waiting).</summary>
    private static async Task<List<Database.Row>> QuiescentMessagesAsync(string databaseFile)
    {
        var rows = Database.Messages(databaseFile);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline;)
        {
            await Task.Delay(1000);
            var again = Database.Messages(databaseFile);
            if (again.Count == rows.Count)
            {
                return again;
            }

            rows = again;
        }

        return rows;
    }

    /// <summary>A visitor or the agent: a connection, an outbox, and its view of the conversations.</summary>
    private sealed record Peer(string Token, bool IsAgent)
    {
        private readonly ConcurrentQueue<(string Id, Guid? Conversation)> _outbox = new();
        private HubConnection? _hub;
        private int _interrupted;

        public ClientView View { get; } = new();
        public Guid? ConversationId { get; private set; }
        public int Pending => _outbox.Count;
        public int Interrupted => _interrupted;

        public void Queue(string id, Guid? conversation) => _outbox.Enqueue((id, conversation));

        public async Task ConnectAsync(KefuClient client)
        {
            if (_hub is { State: HubConnectionState.Connected })
            {
                return;
            }

            var hub = IsAgent ? client.AgentHub(Token) : client.VisitorHub(Token);
            hub.On<MessageDto>("MessageCreated", View.Merge);
            await hub.StartAsync();
            _hub = hub;
            if (IsAgent)
            {
                await View.ResyncAgentAsync(hub);
            }
            else
            {
                await View.ResyncVisitorAsync(hub);
            }
        }

        /// <summary>Sends the outbox in order; stops at the first failure (the rest stays queued).</summary>
        public async Task FlushAsync()
        {
            while (_hub is { } hub && _outbox.TryPeek(out var next))
            {
                try
                {
                    var result = IsAgent
                        ? await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", next.Conversation!.Value, new AgentSend(next.Id, "reply " + next.Id, null))
                        : await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSend(null, next.Id, "message " + next.Id, null));
                    if (!result.Ok)
                    {
                        return;
                    }

                    ConversationId ??= result.Value!.ConversationId;
                    View.Merge(result.Value!.Message);
                    _outbox.TryDequeue(out _);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _interrupted);
                    return; // dropped mid-flight: resent with the same id after the next connect
                }
            }
        }

        public async Task DropAsync()
        {
            if (Interlocked.Exchange(ref _hub, null) is { } hub)
            {
                await hub.DisposeAsync();
            }
        }

        /// <summary>Gaps: database messages of this peer's conversations missing or out of place; duplicates: conflicting Seqs.</summary>
        public (long Gaps, long Duplicates) Compare(List<Database.Row> rows)
        {
            long gaps = 0;
            foreach (var (conversation, shown) in View.Conversations)
            {
                foreach (var row in rows.Where(r => r.ConversationId == conversation))
                {
                    if (!shown.TryGetValue(row.Seq, out var m) || m.Id != row.Id)
                    {
                        gaps++;
                    }
                }

                gaps += shown.Keys.Count(seq => !rows.Any(r => r.ConversationId == conversation && r.Seq == seq));
            }

            if (!IsAgent && ConversationId is { } own && !View.Conversations.ContainsKey(own))
            {
                gaps += rows.Count(r => r.ConversationId == own);
            }

            return (gaps, View.Conflicts);
        }
    }
}
