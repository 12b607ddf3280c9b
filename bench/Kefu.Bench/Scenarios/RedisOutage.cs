using System.Collections.Concurrent;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>redis-outage</c>: two Kefu nodes on one PostgreSQL and one Redis (both the bench's own), visitors on
/// node A, agents on node B, so every push to an agent crosses Redis. At a steady rate Redis is killed at
/// <c>--outage-at</c> for <c>--outage</c> seconds and started again. Agents do what the console and the widget do: a
/// live message whose Seq skips one shows a gap, and the agent fetches the conversation after its last contiguous Seq;
/// at the end every agent resyncs once more, as after a reconnect. Reports messages delivered live and recovered by
/// resync, how long after Redis returns live fan-out is back at 90 % of the rate, and <c>lost</c> (acked but not
/// stored, must be 0) and <c>missing</c> (acked but never shown to the agent, must be 0).
/// </summary>
public static class RedisOutage
{
    private const string DatabaseName = "kefu_bench";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetDouble("rate", 300);
        var visitors = options.GetInt("visitors", 200);
        var agents = options.GetInt("agents", 10);
        var outageAt = TimeSpan.FromSeconds(options.GetInt("outage-at", 10));
        var outage = TimeSpan.FromSeconds(options.GetInt("outage", 60));
        var after = TimeSpan.FromSeconds(options.GetInt("after", 20));

        await using var pg = await PostgresCluster.CreateAsync();
        await using var redis = new RedisServer();
        await redis.StartAsync();
        Result.Progress($"PostgreSQL on 127.0.0.1:{pg.Port}, Redis on {redis.Connection}");
        var environment = BenchServer.ServerEnvironment(options);
        environment["Kefu__Database__Provider"] = "Postgres";
        environment["Kefu__Database__ConnectionString"] = pg.ConnectionString(DatabaseName);
        environment["Kefu__Redis__Connection"] = redis.Connection;
        await using var nodeA = new ServerProcess(environment: environment);
        await nodeA.StartAsync(); // migrates the database first
        await using var nodeB = new ServerProcess(environment: environment);
        await nodeB.StartAsync();
        using var clientA = new KefuClient(nodeA.Url);
        using var clientB = new KefuClient(nodeB.Url);
        Result.Progress($"nodes A {nodeA.Url} (visitors) and B {nodeB.Url} (agents); connecting {visitors} visitors and {agents} agents");
        var connections = new Split(await KefuRelayConnections.CreateAsync(clientA), await KefuRelayConnections.CreateAsync(clientB));
        await using var rig = await RelayRig.ConnectAsync(connections, visitors, agents);
        var view = new ClientView();
        var owners = rig.Claims.ToDictionary(c => c.ConversationId, c => c.Agent);
        var resyncing = new ConcurrentDictionary<Guid, byte>();
        rig.AgentMessage += (agent, message) =>
        {
            // A Seq beyond the next one means pushes went missing: fetch what lies between, once at a time per conversation.
            var gap = message.Seq > view.Contiguous(message.ConversationId) + 1;
            view.Merge(message);
            if (gap && owners.TryGetValue(message.ConversationId, out var owner) && resyncing.TryAdd(message.ConversationId, 0))
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await CatchUpAsync(owner, message.ConversationId, view, rig);
                    }
                    finally
                    {
                        resyncing.TryRemove(message.ConversationId, out _);
                    }
                });
            }
        };
        foreach (var (conversation, agent) in owners)
        {
            await CatchUpAsync(agent, conversation, view, rig);
        }

        await rig.FixedRateAsync(rate, TimeSpan.FromSeconds(5), record: false);
        await rig.DrainAsync(TimeSpan.FromSeconds(10));

        var duration = outageAt + outage + after;
        Result.Progress($"fixed rate {rate}/s for {duration.TotalSeconds}s; Redis down at {outageAt.TotalSeconds}s for {outage.TotalSeconds}s");
        var load = rig.FixedRateAsync(rate, duration, record: true);
        var timeline = rig.Timeline;
        await Task.Delay(outageAt);
        var downAt = timeline.Now;
        await redis.StopAsync();
        await Task.Delay(outage);
        await redis.StartAsync();
        var upAt = timeline.Now;
        Result.Progress($"Redis down {downAt:F1}–{upAt:F1}s");
        await load;
        await rig.DrainAsync(TimeSpan.FromSeconds(10));
        var recoveredOnGap = rig.RecoveredByResync;

        // As after a reconnect: every agent resyncs each of its conversations from its last contiguous Seq.
        await Parallelism.ForEachAsync(owners, 16, async o => await CatchUpAsync(o.Value, o.Key, view, rig));
        var stored = (await pg.QueryAsync(DatabaseName, "SELECT \"ClientMessageId\" FROM \"Messages\"")).Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
        var lost = rig.AckedIds.Keys.Count(id => !stored.Contains(id));
        var seen = view.Conversations.Values.SelectMany(c => c.Values).Select(m => m.ClientMessageId).ToHashSet(StringComparer.Ordinal);
        var missing = rig.AckedIds.Keys.Count(id => !seen.Contains(id));
        var seconds = (int)Math.Ceiling(timeline.Now);
        var delivered = timeline.Delivered(seconds);
        var resume = Timeline.SecondsUntil(delivered, upAt, 0.9 * rate);
        var firstLive = Timeline.SecondsUntil(delivered, upAt, 1);
        var healthy = await PgRestart.HealthyAsync(clientA) && await PgRestart.HealthyAsync(clientB);
        var ok = lost == 0 && missing == 0 && resume is >= 0 and <= 10 && healthy;
        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "redis-outage",
            ["targetRate"] = rate,
            ["visitors"] = visitors,
            ["agents"] = agents,
            ["redisDownAt"] = Math.Round(downAt, 1),
            ["redisUpAt"] = Math.Round(upAt, 1),
            ["sent"] = rig.Sent,
            ["acked"] = rig.Acked,
            ["sendErrors"] = rig.SendErrors,
            ["errorsByCode"] = rig.ErrorsByCode.ToDictionary(kv => kv.Key, kv => kv.Value),
            ["deliveredLive"] = rig.Delivered,
            ["recoveredOnGap"] = recoveredOnGap,
            ["recoveredByFinalResync"] = rig.RecoveredByResync - recoveredOnGap,
            ["lost"] = lost,
            ["missing"] = missing,
            ["agentConflicts"] = view.Conflicts,
            ["firstLiveDeliverySeconds"] = firstLive,
            ["fanoutResumeSeconds"] = resume,
            ["ackP99Ms"] = rig.AckLatency.Summary("ack")["ackP99Ms"],
            ["ackMaxMs"] = rig.AckLatency.Summary("ack")["ackMaxMs"],
            ["healthyAfter"] = healthy,
            ["nodeAPeakRssMiB"] = nodeA.PeakRssKiB() / 1024,
            ["nodeBPeakRssMiB"] = nodeB.PeakRssKiB() / 1024,
            ["ackedPerSecond"] = timeline.Acks(seconds),
            ["deliveredLivePerSecond"] = delivered,
        }, ok);
    }

    /// <summary>Fetches a conversation after the agent's last contiguous Seq; acked messages first seen here count as recovered.</summary>
    private static async Task CatchUpAsync(HubConnection agent, Guid conversation, ClientView view, RelayRig rig)
    {
        for (var round = 0; round < 50; round++)
        {
            var after = view.Contiguous(conversation);
            var page = await agent.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversation, after, 200);
            foreach (var m in page.Value?.Messages ?? [])
            {
                view.Merge(m);
                rig.Recovered(m);
            }

            if (page.Value is not { HasMore: true } || view.Contiguous(conversation) <= after)
            {
                return;
            }
        }
    }

    /// <summary>Visitors on one node, agents on the other.</summary>
    private sealed class Split(IRelayConnections visitors, IRelayConnections agents) : IRelayConnections
    {
        public Task<IReadOnlyList<HubConnection>> AgentsAsync(int count) => agents.AgentsAsync(count);

        public Task<HubConnection> VisitorAsync() => visitors.VisitorAsync();
    }
}
