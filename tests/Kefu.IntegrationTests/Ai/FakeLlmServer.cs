using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Ai;

/// <summary>A chat-completions request the fake received: its bearer key and its messages.</summary>
internal sealed record LlmRequest(string? Authorization, string Model, IReadOnlyList<(string Role, string Content)> Messages, string Body)
{
    public string System => Messages.FirstOrDefault(m => m.Role == "system").Content ?? "";

    public string User => Messages.LastOrDefault(m => m.Role == "user").Content ?? "";

    /// <summary>The article ids the prompt offered, in order.</summary>
    public IReadOnlyList<string> OfferedArticles => [.. Regex.Matches(System, @"\[article:([0-9a-f\-]{36})\]").Select(m => m.Groups[1].Value)];
}

/// <summary>
/// An OpenAI-compatible endpoint (Kestrel on 127.0.0.1, a random port) serving <c>POST /v1/chat/completions</c> with
/// the protocol's JSON shape. Each request is answered by <see cref="Script"/>: a scripted completion, a hang, a 10 MB
/// body, or garbage, so the tests drive every way a real endpoint misbehaves over real HTTP.
/// </summary>
internal sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<LlmRequest> _requests = new();

    private FakeLlmServer(WebApplication app) => _app = app;

    /// <summary>The base address to configure, ending in <c>/v1</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Answers the next requests; the default says OK.</summary>
    public Func<LlmRequest, HttpContext, Task> Script { get; set; } = (_, http) => Complete(http, "OK");

    public IReadOnlyList<LlmRequest> Requests => [.. _requests];

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeLlmServer(app);
        app.MapPost("/v1/chat/completions", fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v1";
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        using var json = JsonDocument.Parse(body);
        var messages = json.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, Content(m.GetProperty("content")))).ToList();
        var request = new LlmRequest(http.Request.Headers.Authorization.ToString(), json.RootElement.GetProperty("model").GetString()!, messages, body);
        _requests.Enqueue(request);
        await Script(request, http);
    }

    /// <summary>A chat completion with <paramref name="text"/> and a usage block.</summary>
    public static Task Complete(HttpContext http, string text, int promptTokens = 120, int completionTokens = 30) =>
        http.Response.WriteAsJsonAsync(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "test-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
            usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
        });

    /// <summary>Never answers (until the client gives up).</summary>
    public static Task Hang(HttpContext http) => Task.Delay(Timeout.Infinite, http.RequestAborted);

    /// <summary>A 200 with 10 MB of JSON-looking text.</summary>
    public static async Task Huge(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        await http.Response.WriteAsync("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"", http.RequestAborted);
        for (var i = 0; i < 160; i++)
        {
            await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
        }
    }

    /// <summary>A 200 whose body is not a completion.</summary>
    public static Task Garbage(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{\"choices\": [ {\"message\": \u0000\u0001 not json");
    }

    private static string Content(JsonElement content) => content.ValueKind == JsonValueKind.String
        ? content.GetString()!
        : string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
