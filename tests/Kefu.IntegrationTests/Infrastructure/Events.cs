using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>Collects one hub event and lets a test wait, with a bound, for a matching one.</summary>
public sealed class Events<T>
{
    private readonly ConcurrentQueue<T> _seen = new();
    private readonly SemaphoreSlim _signal = new(0);

    public Events(HubConnection connection, string method)
    {
        connection.On<T>(method, item =>
        {
            _seen.Enqueue(item);
            _signal.Release();
        });
    }

    public IReadOnlyCollection<T> Seen => _seen.ToArray();

    public async Task<T> WaitAsync(Func<T, bool> match, int timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var found = _seen.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                throw new TimeoutException($"No matching {typeof(T).Name} within {timeoutSeconds}s; saw {_seen.Count}.");
            }
        }
    }
}
