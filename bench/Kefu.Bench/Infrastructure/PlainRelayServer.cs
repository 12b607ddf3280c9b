using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Connections;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// The reference for Kefu's message path: a plain SignalR relay, in memory and not durable, with no Kefu code. It
/// answers exactly what <see cref="Scenarios.RelayRig"/> calls — <c>/hubs/visitor</c> <c>SendMessage</c> (opens a
/// conversation, numbers the message, acks it and pushes <c>MessageCreated</c> to the claiming agent) and
/// <c>/hubs/agent</c> <c>SendMessage</c> (the first agent to answer claims the conversation) — with Kefu's SignalR
/// and JSON settings, so that what remains between the two is Kefu's own work. Runs in a child process (the bench
/// itself, scenario <c>plain-relay-server</c>) under Kefu's runtime settings, so the GC mode is the same too.
/// </summary>
public sealed class PlainRelayServer : IAsyncDisposable
{
    private readonly Process _process;

    private PlainRelayServer(Process process, int port)
    {
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }

    /// <summary>Starts the child; <paramref name="environment"/> is the same <c>--server-env</c> Kefu gets.</summary>
    public static async Task<PlainRelayServer> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = ServerProcess.FreePort();
        // Kefu.Server's runtimeconfig, not the bench's: the bench runs workstation GC, Kefu the Web SDK's server GC,
        // and a reference measured under another GC would compare the collectors as much as the servers.
        var runtimeConfig = Path.Combine(ServerProcess.ServerDirectory(), "Kefu.Server.runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"Build the server first: {runtimeConfig} is missing.");
        }

        var info = new ProcessStartInfo("dotnet",
            ["exec", "--runtimeconfig", runtimeConfig, typeof(PlainRelayServer).Assembly.Location,
             "plain-relay-server", "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the plain relay.");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "READY")
        {
            process.Kill();
            throw new InvalidOperationException("The plain relay did not start.");
        }

        return new PlainRelayServer(process, port);
    }

    /// <summary>User + system CPU seconds of the relay process so far.</summary>
    public double CpuSeconds() => ServerProcess.CpuSecondsOf(_process.Id);

    /// <summary>Peak resident memory of the relay process, KiB.</summary>
    public long PeakRssKiB() => ServerProcess.PeakRssKiBOf(_process.Id);

    /// <summary>The child process's body.</summary>
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetInt("port", 5098)}");
        // Kefu's hub options and JSON protocol (Realtime/RealtimeModule.cs), copied rather than shared: no Kefu code.
        builder.Services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 32 * 1024;
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RelayConversations>();
        var app = builder.Build();
        app.MapHub<PlainVisitorHub>("/hubs/visitor", ConfigureHubTransport);
        app.MapHub<PlainAgentHub>("/hubs/agent", ConfigureHubTransport);
        await app.StartAsync();
        Console.Out.WriteLine("READY");
        await app.WaitForShutdownAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Kefu's transport buffers and transports for both hubs.</summary>
    private static void ConfigureHubTransport(HttpConnectionDispatcherOptions o)
    {
        o.ApplicationMaxBufferSize = 32 * 1024;
        o.TransportMaxBufferSize = 32 * 1024;
        o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
    }
}
