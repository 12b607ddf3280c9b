namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Erlang C: how many servers (conversation slots) answer a target share of arrivals within a target wait, for
/// Poisson arrivals and exponential handling (docs/metrics.md, "Staffing forecast"). Pure arithmetic, tested on the
/// textbook figures.
/// </summary>
internal static class ErlangC
{
    /// <summary>The most servers searched for one hour; an hour that needs more is reported as this many.</summary>
    public const int MaxServers = 2000;

    /// <summary>
    /// The probability an arrival waits at all, with <paramref name="servers"/> servers and <paramref name="erlangs"/> of
    /// offered traffic (arrivals per second × handling seconds). 1 when the servers cannot keep up.
    /// </summary>
    public static double WaitProbability(int servers, double erlangs)
    {
        if (erlangs <= 0)
        {
            return 0;
        }

        if (servers <= erlangs)
        {
            return 1;
        }

        // Erlang B by its recurrence (no factorials, no overflow), then C from B.
        var b = 1.0;
        for (var k = 1; k <= servers; k++)
        {
            b = erlangs * b / (k + (erlangs * b));
        }

        return servers * b / (servers - (erlangs * (1 - b)));
    }

    /// <summary>The share answered within <paramref name="targetSeconds"/>: 1 − C · e^(−(N − A) · t / AHT).</summary>
    public static double ServiceLevel(int servers, double erlangs, double handlingSeconds, double targetSeconds)
    {
        if (erlangs <= 0)
        {
            return 1;
        }

        return servers <= erlangs ? 0 : 1 - (WaitProbability(servers, erlangs) * Math.Exp(-(servers - erlangs) * targetSeconds / handlingSeconds));
    }

    /// <summary>The fewest servers whose service level reaches <paramref name="targetShare"/> (0 when nobody arrives).</summary>
    public static int ServersFor(double arrivalsPerHour, double handlingSeconds, double targetSeconds, double targetShare)
    {
        var erlangs = arrivalsPerHour * handlingSeconds / 3600;
        if (erlangs <= 0)
        {
            return 0;
        }

        for (var n = Math.Max(1, (int)Math.Floor(erlangs) + 1); n < MaxServers; n++)
        {
            if (ServiceLevel(n, erlangs, handlingSeconds, targetSeconds) >= targetShare)
            {
                return n;
            }
        }

        return MaxServers;
    }
}
