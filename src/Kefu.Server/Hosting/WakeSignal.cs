namespace Kefu.Server.Hosting;

/// <summary>
/// Wakes a background loop at once instead of at its next poll: "something to do". Many notifications before
/// the loop wakes make one wake-up. With Redis, <see cref="Notified"/> is relayed so a notification on one node
/// wakes the loop on whichever node runs it.
/// </summary>
internal abstract class WakeSignal(string name)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>The name the cluster relay uses.</summary>
    public string Name { get; } = name;

    /// <summary>Raised by <see cref="Notify"/> (not by <see cref="NotifyLocal"/>), for the cluster relay.</summary>
    public event Action? Notified;

    /// <summary>Wakes the loop here and, through the relay, on other nodes.</summary>
    public void Notify()
    {
        NotifyLocal();
        Notified?.Invoke();
    }

    /// <summary>Wakes the loop on this node only.</summary>
    public void NotifyLocal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // A racing caller signalled first: one wake-up serves both.
            }
        }
    }

    /// <summary>Waits for a notification or the timeout; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
