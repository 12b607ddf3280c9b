using Kefu.Server.Features.Analytics;

namespace Kefu.UnitTests.Analytics;

/// <summary>Erlang C on the textbook case: 200 arrivals an hour handled in 180 s are 10 Erlangs.</summary>
public sealed class ErlangCTests
{
    [Fact]
    public void WaitProbability_TenErlangsElevenServers_IsTheTextbookValue() =>
        Assert.Equal(0.6821, ErlangC.WaitProbability(11, 10), 4);

    [Fact]
    public void ServersFor_EightyPercentInTwentySeconds_NeedsFourteen()
    {
        Assert.Equal(14, ErlangC.ServersFor(200, 180, 20, 0.8));
        Assert.Equal(0.8884, ErlangC.ServiceLevel(14, 10, 180, 20), 4);
        Assert.True(ErlangC.ServiceLevel(13, 10, 180, 20) < 0.8); // one fewer misses the target
    }

    [Fact]
    public void NoArrivals_NeedNobody_AndTooFewServersNeverAnswerInTime()
    {
        Assert.Equal(0, ErlangC.ServersFor(0, 180, 20, 0.8));
        Assert.Equal(1, ErlangC.WaitProbability(10, 10));
        Assert.Equal(0, ErlangC.ServiceLevel(9, 10, 180, 20));
    }

    [Fact]
    public void ServersFor_AHigherTarget_NeverNeedsFewer()
    {
        var previous = 0;
        foreach (var share in new[] { 0.5, 0.7, 0.8, 0.9, 0.95, 0.99 })
        {
            var servers = ErlangC.ServersFor(120, 300, 30, share);
            Assert.True(servers >= previous, $"{share}: {servers} < {previous}");
            previous = servers;
        }
    }
}
