using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Abuse limits, section <c>Kefu:RateLimits</c>. Messages are limited per visitor and per agent
/// (not per connection: several tabs share one budget), across the hubs, the REST API and the
/// console alike; sign-ins per client IP and per account. Defaults leave room for any person;
/// load generators raise them.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:RateLimits";

    /// <summary>Sustained messages per second from one visitor (hub messages and button presses).</summary>
    [Range(0.01, 1_000_000)]
    public double VisitorMessagesPerSecond { get; set; } = 10;

    /// <summary>Messages one visitor may send at once before the sustained rate applies (a reconnect resends its outbox).</summary>
    [Range(1, 1_000_000)]
    public int VisitorMessageBurst { get; set; } = 20;

    /// <summary>Sustained messages per second from one agent (hub, REST and console).</summary>
    [Range(0.01, 1_000_000)]
    public double AgentMessagesPerSecond { get; set; } = 10;

    /// <summary>Messages one agent may send at once.</summary>
    [Range(1, 1_000_000)]
    public int AgentMessageBurst { get; set; } = 30;

    /// <summary>Sign-in attempts (console form and token endpoint) per client IP per minute.</summary>
    [Range(1, 1_000_000)]
    public int SignInsPerMinutePerIp { get; set; } = 20;

    /// <summary>Sign-in attempts per account (e-mail) per minute, from anywhere.</summary>
    [Range(1, 1_000_000)]
    public int SignInsPerMinutePerAccount { get; set; } = 10;
}

/// <summary>Seconds for a <c>Retry-After</c> header or hint: whole seconds, at least one.</summary>
internal static class RetryAfter
{
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static void Set(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Seconds(wait).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// One token bucket per key, on the injected clock: <see cref="TryTake"/> spends a token or says how
/// long until the next one. Buckets that have refilled are dropped once a minute, so a flood of
/// one-off keys (visitors, IPs) does not stay in memory.
/// </summary>
internal sealed class KeyedTokenBucket(double perSecond, int burst, TimeProvider time)
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private long _lastSweep = time.GetTimestamp();

    /// <summary>Null when a token was spent; otherwise the wait until one is available.</summary>
    public TimeSpan? TryTake(string key)
    {
        var now = time.GetTimestamp();
        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.burst, state.now), (burst, now));
        TimeSpan? wait;
        lock (bucket)
        {
            Refill(bucket, now);
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                wait = null;
            }
            else
            {
                wait = TimeSpan.FromSeconds((1 - bucket.Tokens) / perSecond);
            }
        }

        SweepIfDue(now);
        return wait;
    }

    private void Refill(Bucket bucket, long now)
    {
        bucket.Tokens = Math.Min(burst, bucket.Tokens + time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * perSecond);
        bucket.Stamp = now;
    }

    private void SweepIfDue(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < SweepEvery || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                Refill(bucket, now);
                if (bucket.Tokens >= burst)
                {
                    // A racing TryTake on this bucket may spend a token that is then forgotten: at most
                    // one free message for a key idle long enough to be full anyway.
                    _buckets.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens { get; set; } = tokens;
        public long Stamp { get; set; } = stamp;
    }
}

/// <summary>Message budgets per visitor and per agent, shared by every way of sending.</summary>
internal sealed class MessageRateLimit(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly KeyedTokenBucket _visitors = new(options.Value.VisitorMessagesPerSecond, options.Value.VisitorMessageBurst, time);
    private readonly KeyedTokenBucket _agents = new(options.Value.AgentMessagesPerSecond, options.Value.AgentMessageBurst, time);

    /// <summary>Null when the visitor (contact) may send now; otherwise how long to wait.</summary>
    public TimeSpan? TryVisitor(Guid contactId) => _visitors.TryTake(contactId.ToString("N"));

    /// <summary>Null when the agent may send now; otherwise how long to wait.</summary>
    public TimeSpan? TryAgent(Guid userId) => _agents.TryTake(userId.ToString("N"));
}

/// <summary>Sign-in attempts per client IP and per account, counted before the password is checked.</summary>
internal sealed class SignInRateLimit(IOptions<RateLimitOptions> options, TimeProvider time)
{
    private readonly KeyedTokenBucket _ips = new(options.Value.SignInsPerMinutePerIp / 60.0, options.Value.SignInsPerMinutePerIp, time);
    private readonly KeyedTokenBucket _accounts = new(options.Value.SignInsPerMinutePerAccount / 60.0, options.Value.SignInsPerMinutePerAccount, time);

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait. The account key stays in memory only.</summary>
    public TimeSpan? TryAcquire(IPAddress? ip, string account) =>
        _ips.TryTake(ip?.ToString() ?? "unknown") ?? _accounts.TryTake(account.Trim().ToUpperInvariant());
}
