using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Webhooks;

/// <summary>A request the receiver got: its headers and body as sent.</summary>
internal sealed record ReceivedWebhook(string Path, Dictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, a random port) that records every request and answers as the test says:
/// 200 by default, or whatever <see cref="Answer"/> does (fail, hang, redirect, stream).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedWebhook> _arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
    private int _count;
    private int _aborted;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>How the receiver answers a request it has recorded.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = context => context.Response.WriteAsync("thanks");

    /// <summary>Requests received so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Requests whose connection Kefu dropped before the answer was complete (a timeout, a cut stream).</summary>
    public int Aborted => Volatile.Read(ref _aborted);

    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    public string Url(string path = "/hook") => BaseUrl + path;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>The next request, waiting up to <paramref name="seconds"/>.</summary>
    public async Task<ReceivedWebhook> NextAsync(double seconds = 15)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await _arrivals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No webhook arrived within {seconds}s.");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Interlocked.Increment(ref _count);
        await _arrivals.Writer.WriteAsync(new ReceivedWebhook(context.Request.Path, headers, body));
        try
        {
            await Answer(context);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException || context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
