using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Kefu.Server.Hosting.Telemetry;

/// <summary>
/// Kefu's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>, exported at <c>/metrics</c>
/// (docs/operations.md lists them with their Prometheus names). Every method is cheap enough for the message path:
/// a counter add or a histogram record with at most one tag from a small fixed set, no allocation, and nothing at
/// all while no exporter listens. Labels never carry a workspace, conversation, agent or contact id: a label per
/// conversation would grow the scrape without bound.
/// </summary>
/// <remarks>
/// To add an instrument (webhook deliveries, for example): declare it here with a <c>kefu.</c> name, a unit and a
/// description, give it a method that takes only values from a fixed set, call that method from the feature, and
/// list it in docs/operations.md and the Grafana dashboard (docs/grafana-kefu.json).
/// </remarks>
public sealed class KefuMetrics
{
    /// <summary>The meter's name: what an exporter subscribes to.</summary>
    public const string MeterName = "Kefu";

    private readonly Counter<long> _messagesCommitted;
    private readonly Histogram<double> _ackLatency;
    private readonly Histogram<double> _outboxLag;
    private readonly Counter<long> _outboxEvents;
    private readonly Counter<long> _routingDecisions;
    private readonly Counter<long> _botTurns;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _webhookDeliveries;
    private long _queueLength = -1;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> (one per host, so tests do not share counts).</summary>
    public KefuMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesCommitted = meter.CreateCounter<long>("kefu.messages.committed", "{message}",
            "Messages committed by the message writer, by sender (visitor, agent, bot, system); retries of a stored message are not counted.");
        _ackLatency = meter.CreateHistogram<double>("kefu.message.ack.duration", "s",
            "Time from a message entering the writer's queue to its commit (what the sender waits for the ack, less the network).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _outboxLag = meter.CreateHistogram<double>("kefu.outbox.lag", "s",
            "Age of the oldest outbox row when a dispatcher pass picks it up: how far the durable lane (bot, routing, channels, webhooks) runs behind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _outboxEvents = meter.CreateCounter<long>("kefu.outbox.rows", "{row}", "Outbox rows handed to the durable consumers, by outcome (done, retry, set_aside).");
        _routingDecisions = meter.CreateCounter<long>("kefu.routing.decisions", "{decision}", "Routing decisions of the router, by outcome (assigned, offered).");
        _botTurns = meter.CreateCounter<long>("kefu.bot.turns", "{turn}", "Bot turns by outcome (answered, clarified, helpful, not_helpful, handed_off, ...).");
        _handoffs = meter.CreateCounter<long>("kefu.bot.handoffs", "{handoff}", "Conversations the bot handed to people, by reason.");
        _webhookDeliveries = meter.CreateCounter<long>("kefu.webhook.deliveries", "{delivery}", "Webhook delivery attempts by outcome (delivered, failed, dead, refused).");
        meter.CreateObservableGauge("kefu.routing.queue.length", ObserveQueueLength, "{conversation}",
            "Conversations waiting for an agent at the start of the router's last pass; reported only by the node that holds the router lease.");
    }

    /// <summary>A stamp to pass to <see cref="MessageAcked"/>: a raw timestamp, no allocation.</summary>
    public static long Stamp() => Stopwatch.GetTimestamp();

    /// <summary>Counts the messages of one committed batch for one kind of sender: call once per batch and sender, never per message.</summary>
    public void MessagesCommitted(long count, string sender)
    {
        if (count > 0)
        {
            _messagesCommitted.Add(count, new KeyValuePair<string, object?>("sender", sender));
        }
    }

    /// <summary>Records one message's wait from <paramref name="enqueuedStamp"/> (<see cref="Stamp"/>) to its commit.</summary>
    public void MessageAcked(long enqueuedStamp)
    {
        if (_ackLatency.Enabled)
        {
            _ackLatency.Record(Stopwatch.GetElapsedTime(enqueuedStamp).TotalSeconds);
        }
    }

    /// <summary>Records a dispatcher pass: the age of its oldest row and the rows done, to retry and set aside.</summary>
    public void OutboxPass(TimeSpan oldestAge, int done, int retry, int setAside)
    {
        _outboxLag.Record(Math.Max(0, oldestAge.TotalSeconds));
        Add(_outboxEvents, done, "outcome", "done");
        Add(_outboxEvents, retry, "outcome", "retry");
        Add(_outboxEvents, setAside, "outcome", "set_aside");
    }

    /// <summary>Counts the router's decisions of one batch: <paramref name="outcome"/> is <c>assigned</c> or <c>offered</c>.</summary>
    public void RoutingDecisions(int count, string outcome) => Add(_routingDecisions, count, "outcome", outcome);

    /// <summary>Sets the waiting line's length seen by the router's last pass.</summary>
    public void QueueLength(long waiting) => Interlocked.Exchange(ref _queueLength, waiting);

    /// <summary>Counts one bot turn by its outcome (a <c>BotOutcome</c> name in snake_case).</summary>
    public void BotTurn(string outcome) => _botTurns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts one hand-off by its reason (one of the bot's fixed hand-off reasons).</summary>
    public void Handoff(string reason) => _handoffs.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// Counts one webhook delivery attempt. <paramref name="outcome"/> comes from a fixed set: <c>delivered</c>,
    /// <c>failed</c> (will retry), <c>dead</c> (retries exhausted), <c>refused</c> (the address guard said no). Never a
    /// URL, host or workspace as a label.
    /// </summary>
    public void WebhookDelivery(string outcome) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private IEnumerable<Measurement<long>> ObserveQueueLength()
    {
        var value = Interlocked.Read(ref _queueLength);
        return value < 0 ? [] : [new Measurement<long>(value)];
    }

    private static void Add(Counter<long> counter, long count, string key, string value)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>(key, value));
        }
    }
}
