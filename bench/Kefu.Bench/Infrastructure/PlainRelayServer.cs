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
public static class PlainRelayServer
{
    /// <summary>Starts the child; <paramref name="environment"/> is the same <c>--server-env</c> Kefu gets.</summary>
    public static Task<ChildServer> StartAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string>? arguments = null) =>
        ChildServer.StartAsync("plain-relay-server", arguments ?? [], environment);

    /// <summary>
    /// The child process's body. By default Kefu's hub and transport settings; the options after <c>--port</c> change
    /// one setting each, for the <c>idle</c> scenario's experiments (<c>--relay-args</c>): <c>--transport-buffer</c> and
    /// <c>--application-buffer</c> (KiB), <c>--ws-keepalive</c> (WebSocket ping interval, s; 0 = off), <c>--keepalive</c>
    /// and <c>--client-timeout</c> (SignalR's, s), <c>--parallel</c> (invocations per client), <c>--stateful-buffer</c>
    /// (bytes; turns stateful reconnect on), <c>--max-header-kib</c> (Kestrel's request header limit), and
    /// <c>--group true</c> (each visitor connection joins a group of its own, as Kefu's visitor hub does).
    /// </summary>
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetInt("port", 5098)}");
        if (options.Has("max-header-kib"))
        {
            builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestHeadersTotalSize = options.GetInt("max-header-kib", 32) * 1024);
        }

        if (options.Has("ws-keepalive"))
        {
            builder.Services.Configure<Microsoft.AspNetCore.Builder.WebSocketOptions>(o => o.KeepAliveInterval = TimeSpan.FromSeconds(options.GetInt("ws-keepalive", 120)));
        }

        // Kefu's hub options and JSON protocol (Realtime/RealtimeModule.cs), copied rather than shared: no Kefu code.
        builder.Services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 32 * 1024;
                o.EnableDetailedErrors = false;
                o.KeepAliveInterval = TimeSpan.FromSeconds(options.GetInt("keepalive", 15));
                o.ClientTimeoutInterval = TimeSpan.FromSeconds(options.GetInt("client-timeout", 30));
                o.MaximumParallelInvocationsPerClient = options.GetInt("parallel", 1);
                if (options.Has("stateful-buffer"))
                {
                    o.StatefulReconnectBufferSize = options.GetInt("stateful-buffer", 100_000);
                }
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RelayConversations>();
        builder.Services.AddSingleton(new RelaySettings(options.GetString("group") == "true"));
        var app = builder.Build();
        var transportBuffer = options.GetInt("transport-buffer", 32) * 1024;
        var applicationBuffer = options.GetInt("application-buffer", 32) * 1024;
        var stateful = options.Has("stateful-buffer");
        void ConfigureHubTransport(HttpConnectionDispatcherOptions o)
        {
            // Kefu's transport buffers and transports for both hubs.
            o.ApplicationMaxBufferSize = applicationBuffer;
            o.TransportMaxBufferSize = transportBuffer;
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
            o.AllowStatefulReconnects = stateful;
        }

        app.MapHub<PlainVisitorHub>("/hubs/visitor", ConfigureHubTransport);
        app.MapHub<PlainAgentHub>("/hubs/agent", ConfigureHubTransport);
        ChildServer.MapMemory(app);
        await app.StartAsync();
        Console.Out.WriteLine("READY");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

/// <summary>Relay experiments that change the hubs' behaviour rather than an option (see <c>RunAsync</c>).</summary>
internal sealed record RelaySettings(bool JoinOwnGroup);
