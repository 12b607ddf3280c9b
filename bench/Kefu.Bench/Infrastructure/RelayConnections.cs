using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// Where <see cref="Scenarios.RelayRig"/> gets its hub connections. Only the setup differs between servers
/// (accounts and widget sessions on Kefu, none on the plain relay); every connection is built by
/// <see cref="KefuClient"/>'s one hub builder, so the load, its frames and its JSON are the same for both.
/// </summary>
public interface IRelayConnections
{
    /// <summary>Hub connections for <paramref name="count"/> agents, not started.</summary>
    Task<IReadOnlyList<HubConnection>> AgentsAsync(int count);

    /// <summary>A hub connection for one new visitor, not started. Called concurrently.</summary>
    Task<HubConnection> VisitorAsync();
}

/// <summary>Kefu: agents created through the admin API and signed in; each visitor a new widget session of the demo inbox.</summary>
public sealed class KefuRelayConnections : IRelayConnections
{
    private readonly KefuClient _client;
    private readonly string _adminToken;
    private readonly string _widgetKey;

    private KefuRelayConnections(KefuClient client, string adminToken, string widgetKey)
    {
        _client = client;
        _adminToken = adminToken;
        _widgetKey = widgetKey;
    }

    /// <summary>Signs the bench admin in and reads the demo page's widget key, once, before any connection.</summary>
    public static async Task<KefuRelayConnections> CreateAsync(KefuClient client)
    {
        var adminToken = await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        return new KefuRelayConnections(client, adminToken, await client.DemoWidgetKeyAsync());
    }

    public async Task<IReadOnlyList<HubConnection>> AgentsAsync(int count) =>
        [.. (await _client.CreateAgentsAsync(_adminToken, count)).Select(_client.AgentHub)];

    public async Task<HubConnection> VisitorAsync() => _client.VisitorHub((await _client.NewVisitorAsync(_widgetKey)).Token);
}

/// <summary>
/// The plain relay (<see cref="PlainRelayServer"/>): no accounts and no HTTP. A connection is its own identity, so the
/// token is only a label; the client still sends it, as it does to Kefu.
/// </summary>
public sealed class PlainRelayConnections(KefuClient client) : IRelayConnections
{
    public Task<IReadOnlyList<HubConnection>> AgentsAsync(int count) =>
        Task.FromResult<IReadOnlyList<HubConnection>>([.. Enumerable.Range(0, count).Select(i => client.AgentHub($"agent-{i}"))]);

    public Task<HubConnection> VisitorAsync() => Task.FromResult(client.VisitorHub(Guid.NewGuid().ToString("N")));
}
