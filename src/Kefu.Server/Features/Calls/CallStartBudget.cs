using System.Collections.Concurrent;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// The budget of call starts (offers and requests) per caller — a visitor's contact or an agent, in its workspace:
/// <see cref="CallsOptions.StartsPerMinute"/> in a one-minute window that opens with the first attempt, so a script
/// cannot ring the other side in a loop, not even by reconnecting between attempts. Every attempt counts, refused ones
/// too. Windows are per node (like calls, ADR 0035) and forgotten once they are over.
/// </summary>
internal sealed class CallStartBudget(CallLifecycle lifecycle)
{
    private static readonly TimeSpan Length = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(Guid TenantId, Guid PartyId), Window> _windows = new();

    public bool Take(CallParty caller)
    {
        var now = lifecycle.Now;
        if (_windows.Count > 10_000)
        {
            // Over time: drop the windows that are over (a few per minute on a normal server).
            foreach (var (key, old) in _windows)
            {
                if (now - old.Opened >= Length)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        var window = _windows.AddOrUpdate((caller.TenantId, caller.Id), _ => new Window(now), (_, w) => now - w.Opened < Length ? w : new Window(now));
        return Interlocked.Increment(ref window.Count) <= lifecycle.Options.StartsPerMinute;
    }

    private sealed class Window(DateTime opened)
    {
        public readonly DateTime Opened = opened;
        public int Count;
    }
}
