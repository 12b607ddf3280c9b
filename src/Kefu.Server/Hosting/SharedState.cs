using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Kefu.Server.Hosting;

/// <summary>
/// Small values every node can read, written by the node that owns them (the router lease holder's stats): Redis
/// when configured, this process's memory otherwise.
/// </summary>
internal interface ISharedState
{
    /// <summary>Stores a value for <paramref name="lifetime"/>.</summary>
    Task SetAsync(string key, string value, TimeSpan lifetime);

    /// <summary>The value, or null when none is stored or it lapsed.</summary>
    Task<string?> GetAsync(string key);
}

/// <summary>One node: a dictionary.</summary>
internal sealed class LocalSharedState(TimeProvider time) : ISharedState
{
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Until)> _values = new(StringComparer.Ordinal);

    public Task SetAsync(string key, string value, TimeSpan lifetime)
    {
        _values[key] = (value, time.GetUtcNow() + lifetime);
        return Task.CompletedTask;
    }

    public Task<string?> GetAsync(string key) =>
        Task.FromResult(_values.TryGetValue(key, out var entry) && entry.Until > time.GetUtcNow() ? entry.Value : null);
}

/// <summary>Several nodes: Redis strings under <c>{prefix}:shared:</c>.</summary>
internal sealed class RedisSharedState(IConnectionMultiplexer redis, IOptions<ClusterOptions> options) : ISharedState
{
    private readonly string _prefix = options.Value.RedisPrefix + ":shared:";

    public Task SetAsync(string key, string value, TimeSpan lifetime) => redis.GetDatabase().StringSetAsync(_prefix + key, value, lifetime);

    public async Task<string?> GetAsync(string key) => await redis.GetDatabase().StringGetAsync(_prefix + key) is { HasValue: true } v ? v.ToString() : null;
}
