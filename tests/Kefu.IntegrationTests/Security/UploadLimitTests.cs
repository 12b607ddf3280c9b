using System.Diagnostics;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

/// <summary>Uploads over the limit are refused before they are read, and a body that stops coming ends with an answer.</summary>
public sealed class UploadLimitTests : IAsyncLifetime
{
    private const int MB = 1024 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly KefuFactory _server = new() { Settings = new Dictionary<string, string> { ["Kefu:Conversations:UploadMinBytesPerSecond"] = "51200" } };

    public Task InitializeAsync()
    {
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task BodyAnnouncingMoreThanTheLimit_Is413AtOnce_EvenThoughItNeverArrives()
    {
        var session = await _server.NewVisitorAsync();
        var clock = Stopwatch.StartNew();

        var (status, body) = await RawHttp.SendAsync(_server.BaseAddress, Head(session.Token, contentLength: 12 * MB), s => WritePartAsync(s, 1 * MB), Deadline);

        Assert.Equal(413, status);
        Assert.Contains("attachment_too_large", body);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.UploaderContactId == session.ContactId)));
    }

    [Fact]
    public async Task ChunkedBodyRunningPastTheLimit_Is413_FromTheBytesStreamed()
    {
        var session = await _server.NewVisitorAsync();

        var (status, body) = await RawHttp.SendAsync(_server.BaseAddress, Head(session.Token, contentLength: null), async s =>
        {
            var part = Encoding.ASCII.GetBytes(PartHead);
            await s.WriteAsync(Encoding.ASCII.GetBytes($"{part.Length:X}\r\n"));
            await s.WriteAsync(part);
            await s.WriteAsync("\r\n"u8.ToArray());
            var chunk = Enumerable.Repeat((byte)'a', MB).ToArray();
            for (var i = 0; i < 12; i++)
            {
                await s.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"));
                await s.WriteAsync(chunk);
                await s.WriteAsync("\r\n"u8.ToArray());
            }
        }, Deadline);

        Assert.Equal(413, status);
        Assert.Contains("attachment_too_large", body);
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.UploaderContactId == session.ContactId)));
    }

    [Fact]
    public async Task BodyThatStopsHalfWay_EndsWith408_OnceItFallsBelowTheMinimumRate()
    {
        var session = await _server.NewVisitorAsync();

        var (status, body) = await RawHttp.SendAsync(_server.BaseAddress, Head(session.Token, contentLength: 5 * MB), s => WritePartAsync(s, 100 * 1024), Deadline);

        Assert.Equal(408, status);
        Assert.Contains("upload_timeout", body);
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.UploaderContactId == session.ContactId)));
    }

    private const string PartHead = "--kefu\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n";

    private string Head(string token, long? contentLength) => $"""
        POST /api/v1/attachments HTTP/1.1
        Host: {_server.BaseAddress.Authority}
        Authorization: Bearer {token}
        Content-Type: multipart/form-data; boundary=kefu
        {(contentLength is { } n ? $"Content-Length: {n}" : "Transfer-Encoding: chunked")}

        """;

    private static async Task WritePartAsync(Stream stream, int bytes)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(PartHead));
        await stream.WriteAsync(Enumerable.Repeat((byte)'a', bytes).ToArray());
        await stream.FlushAsync();
    }
}
