namespace Kefu.IntegrationTests.Durability;

/// <summary>
/// A small run of the bench's <c>idle</c> scenario against every server it compares (docs/benchmarks.md, "Idle
/// connections"): Kefu, the plain SignalR relay, and the lean WebSocket and event-stream references. Memory figures
/// at this size mean nothing; the test proves that each server accepts and holds its connections through the real
/// protocol, so the figures of a full run compare servers that all worked.
/// </summary>
[Trait("Category", "Durability")]
public sealed class BenchIdleTests
{
    [Fact]
    public async Task Idle_EveryServer_HoldsEveryConnection()
    {
        var result = await BenchGuaranteesTests.RunBenchAsync(
            "idle", "--visitors", "100", "--settle", "1", "--server", "kefu,relay,relay+group=true,lean-ws,lean-sse");

        var servers = result.GetProperty("servers");
        foreach (var name in new[] { "kefu", "relay", "relay+group=true", "lean-ws", "lean-sse" })
        {
            var server = servers.GetProperty(name);
            Assert.Equal(100, server.GetProperty("connected").GetInt32());
            Assert.Equal(0, server.GetProperty("connectErrors").GetInt32());
            Assert.True(server.GetProperty("gcHeapMiB").GetDouble() > 0, $"{name}: no memory figure");
        }
    }
}
