using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// Scenario <c>crash</c>: a burst of messages from many visitors; the server is killed with SIGKILL
/// in the middle and restarted; clients reconnect and resend what was not acked with the same
/// client ids. Then every acked message must be in the database exactly once and in the agent's
/// view after resync. Reports <c>lost</c> and <c>duplicated</c> (both must be 0).
/// </summary>
public static class Crash
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var total = options.GetInt("messages", 1000);
        var visitorCount = options.GetInt("visitors", 50);
        var killAt = options.GetDouble("kill-at", 0.4);
        var perVisitor = (int)Math.Ceiling(total / (double)visitorCount);
        var run = Guid.NewGuid().ToString("N")[..6];

        await using var server = new ServerProcess();
        await server.StartAsync();
        using var client = new KefuClient(server.Url);
        var key = await client.DemoWidgetKeyAsync();
        var agentToken = await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        var agentView = new ClientView();
        var tokens = new List<string>();
        for (var i = 0; i < visitorCount; i++)
        {
            tokens.Add((await client.NewVisitorAsync(key)).Token);
        }

        var acked = new ConcurrentDictionary<string, bool>();
        var deduped = new StrongBox<int>(0);
        var ackedBeforeKill = 0;

        // Phase 1: burst until the kill.
        var agent = await ConnectAgentAsync(client, agentToken, agentView);
        var hubs = await ConnectVisitorsAsync(client, tokens);
        var killed = new TaskCompletionSource();
        var killer = Task.Run(async () =>
        {
            while (acked.Count < total * killAt)
            {
                await Task.Delay(1);
            }

            ackedBeforeKill = acked.Count;
            server.Kill();
            killed.SetResult();
        });
        Result.Progress($"burst of {total} messages from {visitorCount} visitors; SIGKILL after {killAt:P0} acked");
        await SendAllAsync(hubs, perVisitor, total, run, acked, deduped, stopOnError: true);
        await killer;
        Result.Progress($"killed with {ackedBeforeKill} acked; restarting");

        // Phase 2: restart, reconnect, resend everything not acked with the same ids.
        await server.StartAsync();
        hubs = await ConnectVisitorsAsync(client, tokens);
        agent = await ConnectAgentAsync(client, agentToken, agentView);
        await SendAllAsync(hubs, perVisitor, total, run, acked, deduped, stopOnError: false);
        await agentView.ResyncAgentAsync(agent);

        // Check: the database and the agent's view against what clients saw acked.
        var rows = Database.Messages(server.DatabaseFile).Where(r => r.ClientMessageId.StartsWith(run, StringComparison.Ordinal)).ToList();
        var stored = rows.GroupBy(r => r.ClientMessageId).ToDictionary(g => g.Key, g => g.Count());
        var lost = acked.Keys.Count(id => !stored.ContainsKey(id));
        var duplicated = stored.Values.Count(n => n > 1);
        var seen = agentView.Conversations.Values.SelectMany(c => c.Values).Where(m => m.ClientMessageId.StartsWith(run, StringComparison.Ordinal))
            .GroupBy(m => m.ClientMessageId).ToDictionary(g => g.Key, g => g.Count());
        var agentMissing = acked.Keys.Count(id => !seen.ContainsKey(id));

        foreach (var hub in hubs)
        {
            await hub.DisposeAsync();
        }

        await agent.DisposeAsync();
        var ok = lost == 0 && duplicated == 0 && agentMissing == 0 && acked.Count == total && agentView.Conflicts == 0;
        return Result.Print(new Dictionary<string, object>
        {
            ["scenario"] = "crash",
            ["messages"] = total,
            ["visitors"] = visitorCount,
            ["ackedBeforeKill"] = ackedBeforeKill,
            ["acked"] = acked.Count,
            ["stored"] = stored.Count,
            ["resendsAlreadyStored"] = deduped.Value,
            ["lost"] = lost,
            ["duplicated"] = duplicated,
            ["agentMissing"] = agentMissing,
            ["agentConflicts"] = agentView.Conflicts,
        }, ok);
    }

    private static async Task<HubConnection> ConnectAgentAsync(KefuClient client, string token, ClientView view)
    {
        var hub = client.AgentHub(token);
        hub.On<MessageDto>("MessageCreated", view.Merge);
        await hub.StartAsync();
        await view.ResyncAgentAsync(hub);
        return hub;
    }

    private static async Task<List<HubConnection>> ConnectVisitorsAsync(KefuClient client, List<string> tokens)
    {
        var hubs = new HubConnection[tokens.Count];
        await Parallelism.ForEachAsync(Enumerable.Range(0, tokens.Count), 16, async i =>
        {
            hubs[i] = client.VisitorHub(tokens[i]);
            await hubs[i].StartAsync();
        });
        return [.. hubs];
    }

    /// <summary>Each visitor sends its messages in order, skipping those already acked (the widget's outbox).</summary>
    private static Task SendAllAsync(
        List<HubConnection> hubs, int perVisitor, int total, string run, ConcurrentDictionary<string, bool> acked, StrongBox<int> deduped, bool stopOnError) =>
        Task.WhenAll(hubs.Select(async (hub, v) =>
        {
            for (var k = 0; k < perVisitor && v * perVisitor + k < total; k++)
            {
                var id = $"{run}-{v}-{k}";
                if (acked.ContainsKey(id))
                {
                    continue;
                }

                try
                {
                    var result = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSend(null, id, $"crash test {id}", null));
                    if (result.Ok)
                    {
                        acked[id] = true;
                        if (result.Value!.Duplicate)
                        {
                            // Committed before the kill but never acked: the resend proved the dedup path.
                            Interlocked.Increment(ref deduped.Value);
                        }
                    }
                }
                catch (Exception) when (stopOnError)
                {
                    return; // the server died under us: the rest waits in the outbox
                }
            }
        }));
}
