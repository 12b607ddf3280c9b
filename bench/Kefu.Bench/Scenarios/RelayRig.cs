using System.Collections.Concurrent;
using System.Diagnostics;
using Kefu.Bench.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// V visitors and A agents connected to one server (Kefu, or the plain relay of <c>relay-compare</c>);
/// each visitor's conversation is claimed by one agent (agent i % A replies once), so afterwards its
/// messages reach that agent only.
/// Measures send→ack at the visitor and send→delivery at the agent.
/// </summary>
public sealed class RelayRig : IAsyncDisposable
{
    private const string Filler = " — 你好, where is my order? 我的订单什么时候发货？";
    private readonly ConcurrentDictionary<string, long> _pending = new();
    private readonly List<(HubConnection Hub, Guid ConversationId)> _visitors = [];
    private readonly List<HubConnection> _agents = [];
    private long _sent;
    private long _acked;
    private long _delivered;
    private long _sendErrors;
    private long _recovered;
    private bool _recording;

    public int ConnectErrors { get; private set; }

    /// <summary>Per second since the last reset: acks, errors and live deliveries (the fault scenarios' recovery).</summary>
    public Timeline Timeline { get; private set; } = new();

    /// <summary>Client ids of every acked message since the last reset: checked against the database.</summary>
    public ConcurrentDictionary<string, byte> AckedIds { get; } = new();

    /// <summary>Failed sends since the last reset by typed error code, or <c>exception:Type</c> for an untyped failure.</summary>
    public ConcurrentDictionary<string, int> ErrorsByCode { get; } = new();

    /// <summary>Intended send time to any answer, ack or error: how long a send can hang.</summary>
    public Latency AnswerLatency { get; private set; } = new();

    /// <summary>Acked messages that reached their agent not live but through a resync (<see cref="Recovered"/>).</summary>
    public long RecoveredByResync => Interlocked.Read(ref _recovered);

    /// <summary>The agents' connections, for scenarios that resync them.</summary>
    public IReadOnlyList<HubConnection> Agents => _agents;

    /// <summary>Every visitor's conversation and the agent that claimed it.</summary>
    public IEnumerable<(Guid ConversationId, HubConnection Agent)> Claims => _visitors.Select((v, i) => (v.ConversationId, _agents[i % _agents.Count]));

    /// <summary>Raised for every live <c>MessageCreated</c> an agent receives, after the rig has counted it.</summary>
    public event Action<HubConnection, MessageDto>? AgentMessage;
    public Latency AckLatency { get; private set; } = new();
    public Latency DeliveryLatency { get; private set; } = new();
    public long Sent => Interlocked.Read(ref _sent);
    public long Acked => Interlocked.Read(ref _acked);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long SendErrors => Interlocked.Read(ref _sendErrors);
    public int Outstanding => _pending.Count;

    /// <summary>Connects to a Kefu server: agents and widget sessions through its API.</summary>
    public static async Task<RelayRig> ConnectAsync(KefuClient client, int visitors, int agents) =>
        await ConnectAsync(await KefuRelayConnections.CreateAsync(client), visitors, agents);

    /// <summary>Connects the agents, then each visitor opens its conversation and its agent claims it.</summary>
    public static async Task<RelayRig> ConnectAsync(IRelayConnections connections, int visitors, int agents)
    {
        var rig = new RelayRig();
        foreach (var hub in await connections.AgentsAsync(agents))
        {
            hub.On<MessageDto>("MessageCreated", m => rig.OnAgentMessage(hub, m));
            await hub.StartAsync();
            rig._agents.Add(hub);
        }

        var connected = new ConcurrentBag<(int, HubConnection, Guid)>();
        var errors = 0;
        await Parallelism.ForEachAsync(Enumerable.Range(0, visitors), 32, async i =>
        {
            try
            {
                var hub = await connections.VisitorAsync();
                await hub.StartAsync();
                var first = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSend(null, $"hello-{i}", "hello", null));
                var conversation = first.Value!.ConversationId;
                // The owning agent claims the conversation by replying once.
                var owner = rig._agents[i % rig._agents.Count];
                await owner.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSend($"claim-{i}", "Hi, I'm here.", null));
                connected.Add((i, hub, conversation));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException or System.Net.WebSockets.WebSocketException)
            {
                Interlocked.Increment(ref errors);
            }
        });
        rig.ConnectErrors = errors;
        rig._visitors.AddRange(connected.OrderBy(c => c.Item1).Select(c => (c.Item2, c.Item3)));
        return rig;
    }

    /// <summary>Each visitor keeps one message in flight until <paramref name="duration"/> passes.</summary>
    public async Task ClosedLoopAsync(TimeSpan duration, bool record)
    {
        Reset(record);
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(_visitors.Select(async (v, i) =>
        {
            for (var n = 0; stop.Elapsed < duration; n++)
            {
                await SendAsync(v.Hub, v.ConversationId, $"c{i}-{n}-{Guid.NewGuid():N}"[..32], Stopwatch.GetTimestamp());
            }
        }));
    }

    /// <summary>
    /// Sends <paramref name="rate"/> messages per second in total, round-robin over the visitors,
    /// each at its intended time; latency counts from the intended time, so a stall shows.
    /// </summary>
    public async Task FixedRateAsync(double rate, TimeSpan duration, bool record)
    {
        Reset(record);
        var inFlight = new List<Task>((int)(rate * duration.TotalSeconds) + 16);
        var start = Stopwatch.GetTimestamp();
        var total = (long)(rate * duration.TotalSeconds);
        for (long n = 0; n < total;)
        {
            var now = Stopwatch.GetTimestamp();
            while (n < total)
            {
                var intended = start + (long)(n * Stopwatch.Frequency / rate);
                if (intended > now)
                {
                    break;
                }

                var (hub, conversation) = _visitors[(int)(n % _visitors.Count)];
                inFlight.Add(SendAsync(hub, conversation, $"f{n}-{Guid.NewGuid():N}"[..32], intended));
                n++;
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Waits (bounded) until every acked message has reached its agent.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!_pending.IsEmpty && deadline.Elapsed < timeout)
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_visitors.Select(v => v.Hub.DisposeAsync().AsTask()).Concat(_agents.Select(a => a.DisposeAsync().AsTask())));
    }

    private async Task SendAsync(HubConnection hub, Guid conversation, string clientId, long intended)
    {
        _pending[clientId] = intended;
        Interlocked.Increment(ref _sent);
        try
        {
            var result = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSend(conversation, clientId, clientId + Filler, null));
            if (_recording)
            {
                AnswerLatency.Add(Stopwatch.GetElapsedTime(intended).TotalMilliseconds);
            }

            if (result.Ok)
            {
                Interlocked.Increment(ref _acked);
                AckedIds[clientId] = 0;
                Timeline.Ack();
                if (_recording)
                {
                    AckLatency.Add(Stopwatch.GetElapsedTime(intended).TotalMilliseconds);
                }

                return;
            }

            ErrorsByCode.AddOrUpdate(result.Error?.Code ?? "none", 1, (_, n) => n + 1);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TaskCanceledException or IOException or System.Net.WebSockets.WebSocketException or Microsoft.AspNetCore.SignalR.HubException)
        {
            if (_recording)
            {
                AnswerLatency.Add(Stopwatch.GetElapsedTime(intended).TotalMilliseconds);
            }

            ErrorsByCode.AddOrUpdate("exception:" + ex.GetType().Name, 1, (_, n) => n + 1);
        }

        Timeline.Error();
        Interlocked.Increment(ref _sendErrors);
        _pending.TryRemove(clientId, out _);
    }

    /// <summary>A message an agent fetched by Seq after missing its push: counted as recovered, not as live.</summary>
    public void Recovered(MessageDto message)
    {
        if (message.Sender == "visitor" && _pending.TryRemove(message.ClientMessageId, out _))
        {
            Interlocked.Increment(ref _recovered);
        }
    }

    private void OnAgentMessage(HubConnection agent, MessageDto message)
    {
        if (message.Sender == "visitor" && _pending.TryRemove(message.ClientMessageId, out var intended))
        {
            Interlocked.Increment(ref _delivered);
            Timeline.Deliver();
            if (_recording)
            {
                DeliveryLatency.Add(Stopwatch.GetElapsedTime(intended).TotalMilliseconds);
            }
        }

        AgentMessage?.Invoke(agent, message);
    }

    private void Reset(bool record)
    {
        _recording = record;
        AckLatency = new Latency();
        DeliveryLatency = new Latency();
        AnswerLatency = new Latency();
        Timeline = new Timeline();
        AckedIds.Clear();
        ErrorsByCode.Clear();
        Interlocked.Exchange(ref _recovered, 0);
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _acked, 0);
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _sendErrors, 0);
    }
}
