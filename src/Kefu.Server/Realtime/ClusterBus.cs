using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Features.Accounts;
using Kefu.Server.Features.Agents;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kefu.Server.Realtime;

/// <summary>
/// What one node must tell the others when Redis is configured, besides hub messages (the SignalR backplane
/// carries those): console events for Blazor circuits, wake-ups for background loops that run on another node
/// (the lease holder), which agents are connected here, and whose sessions just ended (their hub connections close
/// on every node). Ordered per channel; best effort like the realtime
/// lane, with a heartbeat so a node that died leaves everyone's presence within three beats.
/// </summary>
internal sealed partial class ClusterBus(
    IConnectionMultiplexer redis,
    NodeIdentity node,
    ConsoleNotifier console,
    AgentPresence presence,
    AgentConnections connections,
    IEnumerable<WakeSignal> signals,
    IOptions<ClusterOptions> options,
    TimeProvider clock,
    ILogger<ClusterBus> logger) : BackgroundService
{
    private readonly string _presenceKeys = options.Value.RedisPrefix + ":cluster:presence:";
    private readonly RedisChannel _consoleChannel = RedisChannel.Literal(options.Value.RedisPrefix + ":cluster:console");
    private readonly RedisChannel _wakeChannel = RedisChannel.Literal(options.Value.RedisPrefix + ":cluster:wake");
    private readonly RedisChannel _presenceChannel = RedisChannel.Literal(options.Value.RedisPrefix + ":cluster:presence");
    private readonly RedisChannel _sessionsChannel = RedisChannel.Literal(options.Value.RedisPrefix + ":cluster:sessions-ended");

    /// <summary>Console events carry DTOs with enums: one form on every node.</summary>
    internal static readonly JsonSerializerOptions Json = CreateJson();

    private readonly WakeSignal[] _signals = signals.ToArray();
    private readonly LogThrottle _failures = new(clock, TimeSpan.FromSeconds(10));
    private readonly Dictionary<string, int> _relaying = new(StringComparer.Ordinal);
    private int _presencePending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        (await subscriber.SubscribeAsync(_consoleChannel)).OnMessage(m => OnConsole(m.Message));
        (await subscriber.SubscribeAsync(_wakeChannel)).OnMessage(m => OnWake(m.Message));
        (await subscriber.SubscribeAsync(_presenceChannel)).OnMessage(m => OnPresence(m.Message));
        (await subscriber.SubscribeAsync(_sessionsChannel)).OnMessage(m => OnSessionsEnded(m.Message));
        connections.ClosingEverywhere += userId => _ = PublishAsync(_sessionsChannel, node.Id + "|" + userId.ToString("N"));
        connections.ClosingSessionEverywhere += (userId, sessionId, close) =>
            _ = PublishAsync(_sessionsChannel, $"{node.Id}|{userId:N}|{(close ? "close" : "keep")}|{sessionId:N}");

        console.Relay = e => _ = PublishAsync(_consoleChannel, JsonSerializer.Serialize(e, Json));
        foreach (var signal in _signals)
        {
            _relaying[signal.Name] = 0;
            signal.Notified += () => RelayWake(signal.Name);
        }

        presence.LocalChanged += () => _ = PublishPresenceAsync();
        await PublishPresenceAsync();

        using var timer = new PeriodicTimer(options.Value.PresenceHeartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await HeartbeatAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: leave the others at once instead of after three beats.
            console.Relay = null;
            await redis.GetDatabase().KeyDeleteAsync(_presenceKeys + node.Id);
            await PublishAsync(_presenceChannel, node.Id + "|");
        }
    }

    private void OnConsole(RedisValue message)
    {
        try
        {
            if (JsonSerializer.Deserialize<ConsoleEvent>(message.ToString(), Json) is { } e)
            {
                console.DeliverLocal(e);
            }
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex, "console");
        }
    }

    private void OnWake(RedisValue message)
    {
        var (from, name) = Split(message);
        if (from != node.Id && _signals.FirstOrDefault(s => s.Name == name) is { } signal)
        {
            signal.NotifyLocal();
        }
    }

    /// <summary>A user's sessions ended on another node (deactivation, sign-out everywhere): close their connections here.</summary>
    private void OnSessionsEnded(RedisValue message)
    {
        var (from, rest) = Split(message);
        if (from == node.Id)
        {
            return;
        }

        // "user" closes all of the user's connections; "user|close|session" one session's; "user|keep|session" all but one.
        var parts = rest.Split('|');
        if (!Guid.TryParseExact(parts[0], "N", out var userId))
        {
            return;
        }

        if (parts.Length == 3 && Guid.TryParseExact(parts[2], "N", out var sessionId))
        {
            connections.CloseWhere(userId, sessionId, keep: parts[1] == "keep");
        }
        else
        {
            connections.CloseAll(userId);
        }
    }

    private void OnPresence(RedisValue message)
    {
        var (from, json) = Split(message);
        if (from == node.Id)
        {
            return;
        }

        try
        {
            presence.ApplyRemote(from, json.Length == 0 ? null : JsonSerializer.Deserialize<PresenceSnapshot>(json, Json));
        }
        catch (JsonException ex)
        {
            LogUnreadable(logger, ex, "presence");
        }
    }

    /// <summary>
    /// Many notifications while one relay is in flight make one relay: a burst of commits on this node costs one
    /// Redis message, not one per commit.
    /// </summary>
    private void RelayWake(string name)
    {
        lock (_relaying)
        {
            if (_relaying[name]++ > 0)
            {
                return;
            }
        }

        _ = Task.Run(async () =>
        {
            while (true)
            {
                await PublishAsync(_wakeChannel, node.Id + "|" + name);
                lock (_relaying)
                {
                    // Notified again while publishing: one more relay covers all of those.
                    var again = _relaying[name] > 1;
                    _relaying[name] = again ? 1 : 0;
                    if (!again)
                    {
                        return;
                    }
                }
            }
        });
    }

    private async Task PublishPresenceAsync()
    {
        if (Interlocked.Exchange(ref _presencePending, 1) == 1)
        {
            return; // the publish in flight reads the snapshot after this change, or the next beat does
        }

        try
        {
            await Task.Yield();
            Interlocked.Exchange(ref _presencePending, 0);
            var json = JsonSerializer.Serialize(presence.LocalSnapshot(), Json);
            await redis.GetDatabase().StringSetAsync(_presenceKeys + node.Id, json, options.Value.PresenceHeartbeat * 3);
            await PublishAsync(_presenceChannel, node.Id + "|" + json);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Interlocked.Exchange(ref _presencePending, 0);
            RedisFailed(ex);
        }
    }

    /// <summary>Refreshes this node's presence and reads every other node's; a node whose key lapsed has died.</summary>
    private async Task HeartbeatAsync()
    {
        try
        {
            var db = redis.GetDatabase();
            var json = JsonSerializer.Serialize(presence.LocalSnapshot(), Json);
            await db.StringSetAsync(_presenceKeys + node.Id, json, options.Value.PresenceHeartbeat * 3);
            var alive = new HashSet<string>(StringComparer.Ordinal);
            foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: _presenceKeys + "*"))
                {
                    var other = key.ToString()[_presenceKeys.Length..];
                    if (other != node.Id && await db.StringGetAsync(key) is { HasValue: true } value)
                    {
                        alive.Add(other);
                        presence.ApplyRemote(other, JsonSerializer.Deserialize<PresenceSnapshot>(value.ToString(), Json));
                    }
                }
            }

            foreach (var gone in presence.RemoteNodes().Where(n => !alive.Contains(n)))
            {
                presence.ApplyRemote(gone, null);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is JsonException)
        {
            RedisFailed(ex);
        }
    }

    private async Task PublishAsync(RedisChannel channel, string message)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, message);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            RedisFailed(ex);
        }
    }

    /// <summary>
    /// Redis is down or slow. A timeout is not a <see cref="RedisException"/>: left uncaught in the heartbeat it
    /// stopped the whole node during an outage (the host stops when a background service throws).
    /// </summary>
    private static bool IsRedisFailure(Exception ex) => ex is RedisException or RedisTimeoutException;

    private void RedisFailed(Exception ex)
    {
        if (_failures.ShouldLog(out var held))
        {
            LogRedisFailed(logger, ex, held);
        }
    }

    private static (string From, string Body) Split(RedisValue message)
    {
        var text = message.ToString();
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (text, "") : (text[..bar], text[(bar + 1)..]);
    }

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return json;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster message on {Channel} could not be read")]
    private static partial void LogUnreadable(ILogger logger, Exception ex, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis call of the cluster bus failed; realtime state catches up on the next beat ({Held} more failures since the last report)")]
    private static partial void LogRedisFailed(ILogger logger, Exception ex, int held);
}
