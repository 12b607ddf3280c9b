using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Channels.WeChat;

/// <summary>A customer-service message the fake API accepted.</summary>
internal sealed record SentWeChatMessage(string ToUser, string MsgType, string? Content);

/// <summary>
/// A local double of the Official Account API (Kestrel on 127.0.0.1, a random port), implementing the endpoints the
/// channel calls with WeChat's documented shapes and error codes: <c>GET /cgi-bin/token</c> (40002 grant type, 40013
/// AppID, 40125 AppSecret; <c>access_token</c> + <c>expires_in</c>) and <c>POST /cgi-bin/message/custom/send</c>
/// (41001 no token, 40001 unknown token, 42001 expired token, 45015 window closed, 40003 bad openid; errcode 0).
/// </summary>
internal sealed class FakeWeChatApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string AppId, bool Expired)> _tokens = new();
    private readonly ConcurrentDictionary<string, int> _tokenCallsByApp = new();
    private readonly ConcurrentQueue<SentWeChatMessage> _sent = new();
    private int _tokenCalls;
    private int _sendCalls;

    private FakeWeChatApi(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The registered app (AppID → AppSecret).</summary>
    public Dictionary<string, string> Apps { get; } = [];

    /// <summary>Followers whose 48-hour window is over: sends to them answer 45015.</summary>
    public ConcurrentDictionary<string, bool> WindowClosed { get; } = new();

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    public int SendCalls => Volatile.Read(ref _sendCalls);

    public IReadOnlyList<SentWeChatMessage> Sent => [.. _sent];

    public static async Task<FakeWeChatApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWeChatApi(app);
        app.MapGet("/cgi-bin/token", fake.Token);
        app.MapPost("/cgi-bin/message/custom/send", fake.SendAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Token requests for one app.</summary>
    public int TokenCallsOf(string appId) => _tokenCallsByApp.GetValueOrDefault(appId);

    /// <summary>Every token issued to <paramref name="appId"/> so far expires now, as WeChat's do after 7,200 seconds.</summary>
    public void ExpireTokens(string appId)
    {
        foreach (var (token, issued) in _tokens)
        {
            if (issued.AppId == appId)
            {
                _tokens[token] = issued with { Expired = true };
            }
        }
    }

    /// <summary>Waits for a message to <paramref name="openId"/> whose content satisfies <paramref name="match"/>.</summary>
    public async Task<SentWeChatMessage> WaitForAsync(string openId, Func<string, bool> match, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (_sent.FirstOrDefault(m => m.ToUser == openId && match(m.Content ?? "")) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message to {openId} matching the test arrived at the fake WeChat API in {seconds}s; sent: " +
                string.Join(" | ", _sent.Select(m => m.ToUser + ": " + m.Content)));
            await Task.Delay(50);
        }
    }

    private IResult Token(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenCalls);
        var q = request.Query;
        if (q["grant_type"] != "client_credential")
        {
            return Error(40002, "invalid grant_type");
        }

        _tokenCallsByApp.AddOrUpdate(q["appid"].ToString(), 1, (_, n) => n + 1);
        if (!Apps.TryGetValue(q["appid"].ToString(), out var secret))
        {
            return Error(40013, "invalid appid");
        }

        if (q["secret"] != secret)
        {
            return Error(40125, "invalid appsecret");
        }

        var token = "tok_" + Guid.NewGuid().ToString("N");
        _tokens[token] = (q["appid"].ToString(), false);
        return Results.Json(new { access_token = token, expires_in = 7200 });
    }

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _sendCalls);
        var token = request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            return Error(41001, "access_token missing");
        }

        if (!_tokens.TryGetValue(token, out var issued))
        {
            return Error(40001, "invalid credential, access_token is invalid or not latest");
        }

        if (issued.Expired)
        {
            return Error(42001, "access_token expired");
        }

        var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        var to = body?["touser"]?.GetValue<string>();
        var type = body?["msgtype"]?.GetValue<string>();
        if (string.IsNullOrEmpty(to) || type is null)
        {
            return Error(40003, "invalid openid");
        }

        if (WindowClosed.ContainsKey(to))
        {
            return Error(45015, "response out of time limit or subscription is canceled");
        }

        _sent.Enqueue(new SentWeChatMessage(to, type, body!["text"]?["content"]?.GetValue<string>()));
        return Error(0, "ok");
    }

    private static IResult Error(int code, string message) =>
        Results.Text(JsonSerializer.Serialize(new { errcode = code, errmsg = message }), "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
