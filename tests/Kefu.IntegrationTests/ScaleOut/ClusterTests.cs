using System.Collections.Concurrent;
using System.Diagnostics;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Agents;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.ScaleOut;

/// <summary>
/// What must hold across nodes beyond hub messages: console circuits, agent presence for the bot, one delivery
/// per consumer, and a lease that a killed node gives up by expiry. Two nodes on one PostgreSQL database with
/// Redis, in the PostgreSQL pass of scripts/test.sh.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class ClusterTests
{
    [Fact]
    public async Task VisitorOnNodeA_ReachesAConsoleCircuitOnNodeB_Live()
    {
        var shared = SharedFolder();
        await using var nodeA = new KefuFactory(shared) { UseRedis = true }.Start();
        await using var nodeB = new KefuFactory(shared) { UseRedis = true }.Start();
        var tenant = await nodeB.WithDbAsync(db => db.Tenants.Select(t => t.Id).SingleAsync());
        var seen = new ConcurrentQueue<ConsoleEvent>();
        using var circuit = nodeB.Services.GetRequiredService<ConsoleNotifier>().Subscribe(tenant, e =>
        {
            seen.Enqueue(e);
            return Task.CompletedTask;
        });

        var session = await nodeA.NewVisitorAsync();
        await using var visitor = await nodeA.ConnectVisitorAsync(session.Token);
        var sent = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "seen on node B?", null));

        await Wait.UntilAsync(
            () => Task.FromResult(seen.OfType<ConsoleEvent.MessageCreated>().Any(m => m.Message.Id == sent.Value!.MessageId && m.Message.Text == "seen on node B?")),
            "node B's console circuit gets node A's message");
    }

    [Fact]
    public async Task BotOnANodeWithoutAgents_HandsOffToAnAgentConnectedElsewhere()
    {
        var shared = SharedFolder();
        await using var nodeA = new KefuFactory(shared) { UseRedis = true, Bot = true }.Start();
        await using var nodeB = new KefuFactory(shared) { UseRedis = true, Bot = true }.Start();
        var tenant = await nodeA.WithDbAsync(db => db.Tenants.Select(t => t.Id).SingleAsync());

        // The bot answers on the node holding the outbox lease: connect the agent to the other one.
        var (botNode, agentNode) = await HolderFirstAsync(nodeA, nodeB, OutboxDispatcher.LeaseName);
        await using var agent = await agentNode.ConnectAgentAsync();
        var presence = botNode.Services.GetRequiredService<AgentPresence>();
        await Wait.UntilAsync(() => Task.FromResult(presence.Count(tenant) > 0), "the bot's node sees the agent connected to the other node");

        var session = await botNode.NewVisitorAsync();
        await using var hub = await botNode.ConnectVisitorAsync(session.Token);
        var messages = new Events<MessageDto>(hub, "MessageCreated");
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "h-1", "转人工", null));
        var reply = await messages.WaitAsync(m => m.Sender == SenderType.Bot && m.ClientMessageId == "bot:" + ack.Value!.MessageId.ToString("N"), 20);

        Assert.Contains("人工客服", reply.Text);
        var conversationId = ack.Value!.ConversationId;
        await Wait.UntilAsync(() => botNode.WithDbAsync(db => db.HandoffPackets.AnyAsync(p => p.ConversationId == conversationId)), "the hand-off is recorded");
        var packet = await botNode.WithDbAsync(db => db.HandoffPackets.SingleAsync(p => p.ConversationId == conversationId));
        Assert.Equal(HandoffReasons.Requested, packet.Reason);
        Assert.True(packet.AgentsAvailable, "an agent was online on the other node");
    }

    [Fact]
    public async Task WithTwoNodes_EachEventReachesAConsumerOnce()
    {
        var shared = SharedFolder();
        var deliveries = new ConcurrentQueue<(string Node, Guid MessageId)>();
        KefuFactory Node(string name) => new(shared) { UseRedis = true, ExtraServices = s => s.AddSingleton<IOutboxConsumer>(new CountingConsumer(name, deliveries)) };
        await using var nodeA = Node("A").Start();
        await using var nodeB = Node("B").Start();

        var sent = new List<Guid>();
        foreach (var (node, i) in new[] { nodeA, nodeB }.SelectMany(n => Enumerable.Range(0, 10).Select(i => (n, i))))
        {
            var session = await node.NewVisitorAsync();
            await using var visitor = await node.ConnectVisitorAsync(session.Token);
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, $"once-{i}", "hello", null));
            sent.Add(ack.Value!.MessageId);
        }

        await Wait.UntilAsync(() => Task.FromResult(sent.All(id => deliveries.Any(d => d.MessageId == id))), "every message delivered");
        await Wait.UntilAsync(() => nodeA.WithDbAsync(db => db.Outbox.AllAsync(o => o.ProcessedAt != null)), "the outbox drained");

        var mine = deliveries.Where(d => sent.Contains(d.MessageId)).ToList();
        Assert.Equal(sent.Count, mine.Count);
        Assert.Single(mine.Select(d => d.Node).Distinct()); // one node dispatches: the lease holder
    }

    [Fact]
    public async Task DeactivatingAnAgentOnNodeA_ClosesTheirHubConnectionOnNodeB()
    {
        var shared = SharedFolder();
        await using var nodeA = new KefuFactory(shared) { UseRedis = true }.Start();
        await using var nodeB = new KefuFactory(shared) { UseRedis = true }.Start();
        var email = await nodeA.CreateAgentInDemoTenantAsync();
        var id = await nodeA.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var hub = await nodeB.ConnectAgentAsync(await nodeB.AgentTokenAsync(email, KefuFactory.AdminPassword));
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        using var admin = await nodeA.AgentHttpAsync();

        var deactivated = await admin.PostAsync($"/api/v1/agents/{id}/deactivate", null);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, deactivated.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, hub.State);
    }

    [Fact]
    public async Task ANodeKilledWhileHoldingTheLease_LosesItWithinTheLeaseTime()
    {
        var shared = SharedFolder();
        var lease = TimeSpan.FromSeconds(3);
        var settings = new Dictionary<string, string> { ["Kefu:Cluster:LeaseDuration"] = lease.ToString() };

        // Node P is a real process, so it can die by SIGKILL without a chance to give anything up.
        await using var survivor = new KefuFactory(shared) { UseRedis = true, Settings = settings };
        var database = survivor.PostgresConnection!;
        using var process = StartServerProcess(survivor, lease);
        try
        {
            await KillWithinLeaseAsync(survivor, database, process, lease);
        }
        finally
        {
            // A child left running would outlive the test run (and hold whatever the run holds).
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task KillWithinLeaseAsync(KefuFactory survivor, string database, Process process, TimeSpan lease)
    {
        await Wait.UntilAsync(async () => await LeaseHolderAsync(database, OutboxDispatcher.LeaseName) is not null, "the process takes the outbox lease", 60);
        var victim = await LeaseHolderAsync(database, OutboxDispatcher.LeaseName);

        survivor.Start();
        var survivorId = survivor.Services.GetRequiredService<NodeIdentity>().Id;
        Assert.NotEqual(survivorId, victim);
        await Task.Delay(lease); // a whole lease time with both alive: the process keeps renewing
        Assert.Equal(victim, await LeaseHolderAsync(database, OutboxDispatcher.LeaseName));

        process.Kill();
        var killedAt = Stopwatch.StartNew();
        await Wait.UntilAsync(async () => await LeaseHolderAsync(database, OutboxDispatcher.LeaseName) == survivorId, "the survivor takes the lease", 30);

        // Within the lease time, plus the survivor's next look (a pass waits up to one second) and some slack.
        Assert.InRange(killedAt.Elapsed, TimeSpan.Zero, lease + TimeSpan.FromSeconds(3));
    }

    private static async Task<(KefuFactory Holder, KefuFactory Other)> HolderFirstAsync(KefuFactory a, KefuFactory b, string lease)
    {
        string? holder = null;
        await Wait.UntilAsync(async () => (holder = await a.WithDbAsync(db => db.Leases.Where(l => l.Name == lease).Select(l => l.Holder).FirstOrDefaultAsync())) is not null,
            $"some node takes the {lease} lease");
        return holder == a.Services.GetRequiredService<NodeIdentity>().Id ? (a, b) : (b, a);
    }

    private static async Task<string?> LeaseHolderAsync(string connection, string lease)
    {
        var options = new DbContextOptionsBuilder<PostgresKefuDbContext>();
        PersistenceModule.ConfigurePostgres(options, connection);
        await using var db = new PostgresKefuDbContext(options.Options);
        try
        {
            return await db.Leases.Where(l => l.Name == lease && l.ExpiresAt > DateTime.UtcNow).Select(l => l.Holder).FirstOrDefaultAsync();
        }
        catch (Npgsql.PostgresException)
        {
            return null; // the database or the table does not exist yet
        }
    }

    private static Process StartServerProcess(KefuFactory database, TimeSpan lease)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var folder = Path.Combine(RepoRoot(), "src", "Kefu.Server", "bin", configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(folder, "Kefu.Server.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Kefu__Database__Provider"] = "Postgres",
                ["Kefu__Database__ConnectionString"] = database.PostgresConnection,
                ["Kefu__Database__DataDirectory"] = database.DataDirectory,
                ["Kefu__Redis__Connection"] = Environment.GetEnvironmentVariable("KEFU_TEST_REDIS"),
                ["Kefu__Cluster__LeaseDuration"] = lease.ToString(),
                ["Kefu__Seed__AdminEmail"] = KefuFactory.AdminEmail,
                ["Kefu__Seed__AdminPassword"] = KefuFactory.AdminPassword,
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string SharedFolder()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KEFU_TEST_POSTGRES")), "needs KEFU_TEST_POSTGRES (scripts/test.sh sets it)");
        return Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kefu.slnx not found above the test folder.");
    }

    /// <summary>An extra durable consumer, beside the product's own: it only counts what it is handed.</summary>
    private sealed class CountingConsumer(string node, ConcurrentQueue<(string, Guid)> deliveries) : IOutboxConsumer
    {
        public string Name => "test-counter";

        public bool Handles(ConversationEvent e) => e is MessageCreated;

        public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken)
        {
            deliveries.Enqueue((node, ((MessageCreated)e).MessageId));
            return Task.CompletedTask;
        }
    }
}
