namespace Kefu.Server.Features.Calls;

/// <summary>
/// The per-connection budget of call starts (offers and requests): <see cref="CallsOptions.StartsPerMinute"/> in a
/// one-minute window that opens with the first attempt, kept in the hub connection's items, so a script cannot ring the other side in a loop.
/// Every attempt counts, refused ones too.
/// </summary>
internal sealed class CallStartBudget(CallLifecycle lifecycle)
{
    private static readonly object Key = new();

    public bool Take(IDictionary<object, object?> connectionItems)
    {
        var now = lifecycle.Now;
        var window = connectionItems.TryGetValue(Key, out var value) && value is Window w && now - w.Opened < TimeSpan.FromMinutes(1) ? w : new Window(now);
        connectionItems[Key] = window;
        return Interlocked.Increment(ref window.Count) <= lifecycle.Options.StartsPerMinute;
    }

    private sealed class Window(DateTime opened)
    {
        public readonly DateTime Opened = opened;
        public int Count;
    }
}
