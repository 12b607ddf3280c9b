namespace Kefu.Server.Hosting;

/// <summary>
/// Lets one log line through per interval and counts the ones held back. A failure that repeats for every message
/// (Redis down for a minute at hundreds of messages a second) would otherwise write a stack trace per message and
/// bury everything else in the log.
/// </summary>
internal sealed class LogThrottle(TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long _next;
    private int _held;

    /// <summary>True when this occurrence should be logged; <paramref name="held"/> is how many were skipped before it.</summary>
    public bool ShouldLog(out int held)
    {
        var now = clock.GetTimestamp();
        lock (_gate)
        {
            if (now < _next)
            {
                _held++;
                held = 0;
                return false;
            }

            _next = now + (long)(interval.TotalSeconds * clock.TimestampFrequency);
            (held, _held) = (_held, 0);
            return true;
        }
    }
}
