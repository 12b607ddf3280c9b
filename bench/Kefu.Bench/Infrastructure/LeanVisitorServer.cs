using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Kefu.Bench.Infrastructure;

/// <summary>
/// The reference for a lean visitor transport (issue 11, ADR 0015): Kestrel with no SignalR, speaking the wire of
/// Kefu's visitor hub for an idle visitor, so the bench's own SignalR client connects to it unchanged.
/// <list type="bullet">
/// <item><c>/hubs/visitor</c>, a plain WebSocket: the client's handshake <c>{"protocol":"json","version":1}</c> is
/// answered <c>{}</c> (records end with 0x1E, as in SignalR's JSON protocol), the server pings <c>{"type":6}</c> every
/// 15 s and drops a client silent for 30 s (SignalR's defaults). Per connection it keeps the socket, one small entry
/// for the keep-alive sweep, and a buffer rented only while a frame is being read: it waits with zero-byte reads.</item>
/// <item><c>/sse/visitor</c>, the fallback for networks that block WebSockets: an event stream that starts with
/// <c>event: hello</c> / <c>data: {}</c> and gets the same ping; what the client says would go by POST (not part of
/// the idle case).</item>
/// </list>
/// Both require a token (<c>access_token</c> or a bearer header), as Kefu does, but do not verify it: verifying costs CPU at connect, not idle
/// memory. One timer sweeps every connection; no connection has a timer of its own. Hidden scenario
/// <c>lean-server --port P</c>, started by <see cref="ChildServer"/>.
/// </summary>
public static class LeanVisitorServer
{
    private const byte RecordSeparator = 0x1E;
    private const int MaxMessageBytes = 32 * 1024;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);
    private static readonly byte[] HandshakeAck = "{}\u001e"u8.ToArray();
    private static readonly byte[] WebSocketPing = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly byte[] SseHello = "event: hello\ndata: {}\n\n"u8.ToArray();
    private static readonly byte[] SsePing = "data: {\"type\":6}\n\n"u8.ToArray();

    public static Task<ChildServer> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        ChildServer.StartAsync("lean-server", [], environment);

    /// <summary>The child process's body.</summary>
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.GetInt("port", 5099)}");
        var app = builder.Build();
        var live = new ConcurrentDictionary<LeanConnection, byte>();
        // No WebSocket-level pings: the JSON ping below keeps proxies and the client's timeout happy, and a
        // WebSocket keep-alive would give every socket a timer of its own.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/hubs/visitor", context => WebSocketAsync(context, live));
        app.MapGet("/sse/visitor", context => EventStreamAsync(context, live));
        ChildServer.MapMemory(app);
        using var sweep = new Timer(_ => Sweep(live), null, KeepAlive, KeepAlive);
        await app.StartAsync();
        Console.Out.WriteLine("READY");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task WebSocketAsync(HttpContext context, ConcurrentDictionary<LeanConnection, byte> live)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!HasToken(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new LeanWebSocket(socket);
        try
        {
            // The first message is the handshake; anything else closes (the idle case knows no invocations).
            if (await ReceiveAsync(socket, connection) != Frame.Message)
            {
                return;
            }

            await connection.SendAsync(HandshakeAck);
            live[connection] = 0;
            while (await ReceiveAsync(socket, connection) == Frame.Message)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            live.TryRemove(connection, out _);
        }
    }

    private enum Frame
    {
        Message,
        Closed,
    }

    /// <summary>
    /// Waits for the next message with a zero-byte read (no buffer while idle), then rents one for the message only.
    /// Accepts handshakes and pings, the only messages of an idle visitor.
    /// </summary>
    private static async Task<Frame> ReceiveAsync(WebSocket socket, LeanWebSocket connection)
    {
        var probe = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (probe.MessageType == WebSocketMessageType.Close)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return Frame.Closed;
        }

        connection.Touch();
        if (probe.EndOfMessage)
        {
            return Frame.Message; // an empty message
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None);
                        return Frame.Closed;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            var text = buffer.AsSpan(0, length);
            if (text.IsEmpty || text[^1] != RecordSeparator)
            {
                await socket.CloseAsync(WebSocketCloseStatus.InvalidPayloadData, null, CancellationToken.None);
                return Frame.Closed;
            }

            return Frame.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task EventStreamAsync(HttpContext context, ConcurrentDictionary<LeanConnection, byte> live)
    {
        if (!HasToken(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(SseHello, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var connection = new LeanEventStream(context.Response.Body);
        live[connection] = 0;
        try
        {
            // Nothing per connection but this wait until the client goes away.
            var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = context.RequestAborted.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), gone);
            await gone.Task;
        }
        finally
        {
            live.TryRemove(connection, out _);
        }
    }

    /// <summary>A browser sends the token in the query (it cannot set headers on a WebSocket); .NET clients send a header.</summary>
    private static bool HasToken(HttpRequest request) =>
        !string.IsNullOrEmpty(request.Query["access_token"]) ||
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal);

    /// <summary>Every 15 s: pings every connection, and drops WebSocket clients silent for longer than 30 s.</summary>
    private static void Sweep(ConcurrentDictionary<LeanConnection, byte> live)
    {
        var now = Environment.TickCount64;
        foreach (var connection in live.Keys)
        {
            if (connection is LeanWebSocket socket && now - socket.LastHeard > ClientTimeout.TotalMilliseconds)
            {
                socket.Abort();
                live.TryRemove(connection, out _);
                continue;
            }

            _ = connection.PingAsync();
        }
    }

    private abstract class LeanConnection
    {
        public abstract Task PingAsync();
    }

    private sealed class LeanWebSocket(WebSocket socket) : LeanConnection
    {
        private long _lastHeard = Environment.TickCount64;

        public long LastHeard => Volatile.Read(ref _lastHeard);

        public void Touch() => Volatile.Write(ref _lastHeard, Environment.TickCount64);

        public void Abort() => socket.Abort();

        public ValueTask SendAsync(byte[] frame) =>
            socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        public override async Task PingAsync()
        {
            try
            {
                await SendAsync(WebSocketPing);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                // Closed meanwhile; its receive loop ends it.
            }
        }
    }

    private sealed class LeanEventStream(Stream body) : LeanConnection
    {
        public override async Task PingAsync()
        {
            try
            {
                await body.WriteAsync(SsePing);
                await body.FlushAsync();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException or InvalidOperationException or OperationCanceledException)
            {
                // The client went away; the request ends by itself.
            }
        }
    }
}
