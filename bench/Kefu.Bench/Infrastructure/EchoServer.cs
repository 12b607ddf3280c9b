using System.Diagnostics;
using System.Net.WebSockets;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// A raw Kestrel WebSocket echo: the ceiling of what this machine can relay with no framework,
/// no serialization and no durability. Runs in a child process (the bench itself, scenario
/// <c>echo-server</c>) so that, like Kefu, it does not share the load generator's process.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly Process _process;

    private EchoServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<EchoServer> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var self = Environment.ProcessPath!;
        var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(EchoServer).Assembly.Location, "echo-server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            : new ProcessStartInfo(self, ["echo-server", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        info.RedirectStandardOutput = true;
        var process = Process.Start(info)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "READY")
        {
            throw new InvalidOperationException("The echo server did not start.");
        }

        return new EchoServer(process, port);
    }

    /// <summary>The child process's body.</summary>
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetInt("port", 5099)}");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        });
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
}
