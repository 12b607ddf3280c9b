namespace Kefu.Server.Features.Routing;

/// <summary>Wakes the router: something entered the queue, an agent freed up, presence or settings changed.</summary>
internal sealed class RoutingSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
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

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
