using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.IntegrationTests.Voice;

/// <summary>A transcription request the fake received: its bearer key, form fields and the audio's bytes.</summary>
internal sealed record SpeechRequest(string? Authorization, string Model, string? ResponseFormat, string FileName, string ContentType, byte[] Audio);

/// <summary>
/// An OpenAI-compatible speech endpoint (Kestrel on 127.0.0.1, a random port) serving <c>POST /v1/audio/transcriptions</c>:
/// multipart in (<c>file</c>, <c>model</c>, <c>response_format</c>), <c>{"text": …}</c> out. Each request is answered by
/// <see cref="Script"/>: words, a hang, garbage or an error, so the tests drive a real endpoint's failures over real HTTP.
/// </summary>
internal sealed class FakeSpeechServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SpeechRequest> _requests = new();

    private FakeSpeechServer(WebApplication app) => _app = app;

    /// <summary>The base address to configure, ending in <c>/v1</c>.</summary>
    public string Endpoint { get; private set; } = "";

    public Func<SpeechRequest, HttpContext, Task> Script { get; set; } = (_, http) => Words(http, "hello");

    public IReadOnlyList<SpeechRequest> Requests => [.. _requests];

    public static async Task<FakeSpeechServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSpeechServer(app);
        app.MapPost("/v1/audio/transcriptions", fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v1";
        return fake;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        using var bytes = new MemoryStream();
        if (file is not null)
        {
            await file.CopyToAsync(bytes);
        }

        var request = new SpeechRequest(http.Request.Headers.Authorization.ToString(), form["model"].ToString(), form["response_format"].ToString(),
            file?.FileName ?? "", file?.ContentType ?? "", bytes.ToArray());
        _requests.Enqueue(request);
        await Script(request, http);
    }

    /// <summary>The protocol's answer: <c>{"text": …}</c>.</summary>
    public static Task Words(HttpContext http, string text) => http.Response.WriteAsJsonAsync(new { text });

    /// <summary>Never answers (until the client gives up).</summary>
    public static Task Hang(HttpContext http) => Task.Delay(Timeout.Infinite, http.RequestAborted);

    /// <summary>A 200 whose body is not a transcription.</summary>
    public static Task Garbage(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync("{\"text\": \u0000\u0001 not json");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The first bytes of recordings as browsers' MediaRecorder writes them (the server checks only the head), then filler.</summary>
internal static class VoiceSamples
{
    /// <summary>WebM: EBML header (DocType webm), a Segment, and a track entry with CodecID A_OPUS (or <paramref name="codec"/>).</summary>
    public static byte[] Webm(string codec = "A_OPUS", int size = 4000)
    {
        byte[] head =
        [
            0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08,
            0x42, 0x82, 0x84, .. "webm"u8, 0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02,
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0x16, 0x54, 0xAE, 0x6B, 0xBF, 0xAE, 0xBD, 0xD7, 0x81, 0x01, 0x83, 0x81, 0x02, 0x86, (byte)(0x80 + codec.Length), .. System.Text.Encoding.ASCII.GetBytes(codec),
        ];
        return Fill(head, size);
    }

    /// <summary>Ogg: the first page header, then the OpusHead identification packet.</summary>
    public static byte[] Ogg(int size = 4000)
    {
        byte[] head = [.. "OggS"u8, 0x00, 0x02, .. new byte[20], 0x01, 0x13, .. "OpusHead"u8, 0x01, 0x01, 0x38, 0x01, 0x80, 0xBB, 0x00, 0x00, 0x00, 0x00, 0x00];
        return Fill(head, size);
    }

    private static byte[] Fill(byte[] head, int size)
    {
        var bytes = new byte[size];
        head.CopyTo(bytes, 0);
        new Random(19).NextBytes(bytes.AsSpan(head.Length));
        return bytes;
    }
}
