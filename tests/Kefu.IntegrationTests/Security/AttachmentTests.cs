using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

public sealed class AttachmentTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    // A valid 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task VisitorUploadsImage_SendsIt_AndAgentDownloadsIt_Safely()
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var upload = await http.PostAsync("/api/v1/attachments", File(Png, "photo.png"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "f-1", "", attachment.Id));
        var download = await _server.Http().GetAsync(ack.Value!.Message.Attachment!.Url);

        Assert.True(attachment.IsImage);
        Assert.Equal("image/png", attachment.ContentType);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("page.html", "<html><script>alert(1)</script></html>")]
    [InlineData("vector.svg", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")]
    [InlineData("fake.png", "<script>alert(1)</script>")]
    [InlineData("run.exe", "MZ\u0090\u0000binary")]
    public async Task Upload_OfScriptableOrMislabelledFile_IsRefused(string name, string content)
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);

        var response = await http.PostAsync("/api/v1/attachments", File(Encoding.UTF8.GetBytes(content), name));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("attachment_type_not_allowed", await response.Content.ReadAsStringAsync());
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.UploaderContactId == session.ContactId)));
    }

    [Fact]
    public async Task TextFile_IsServedAsDownload_NeverInline()
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);

        var upload = await http.PostAsync("/api/v1/attachments", File(Encoding.UTF8.GetBytes("<b>not html</b> 订单号 123"), "notes.txt"));
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var download = await _server.Http().GetAsync(attachment.Url);

        Assert.Equal("text/plain", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task TamperedDownloadAddress_Is404()
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);
        var upload = await http.PostAsync("/api/v1/attachments", File(Png, "a.png"));
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var otherId = Guid.CreateVersion7();

        var wrongToken = await _server.Http().GetAsync(attachment.Url[..^4] + "AAAA");
        var noToken = await _server.Http().GetAsync($"/api/v1/attachments/{attachment.Id}/a.png");
        var swappedId = await _server.Http().GetAsync(attachment.Url.Replace(attachment.Id.ToString(), otherId.ToString()));

        Assert.Equal(HttpStatusCode.NotFound, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, swappedId.StatusCode);
    }

    [Fact]
    public async Task Visitor_CannotSendAnotherVisitorsAttachment()
    {
        var alice = await _server.NewVisitorAsync();
        using var aliceHttp = VisitorHttp(alice.Token);
        var upload = await aliceHttp.PostAsync("/api/v1/attachments", File(Png, "a.png"));
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        var mallory = await _server.NewVisitorAsync();
        await using var malloryHub = await _server.ConnectVisitorAsync(mallory.Token);

        var result = await malloryHub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "steal-1", "", attachment.Id));

        Assert.Equal("attachment_not_found", result.Error!.Code);
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.AttachmentId == attachment.Id)));
    }

    [Fact]
    public async Task Upload_WithoutToken_Is401_AndTooLarge_Is413()
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);
        var big = new byte[10 * 1024 * 1024 + 1];
        Png.CopyTo(big, 0);

        var anonymous = await _server.Http().PostAsync("/api/v1/attachments", File(Png, "a.png"));
        var tooLarge = await http.PostAsync("/api/v1/attachments", File(big, "big.png"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("attachment_too_large", await tooLarge.Content.ReadAsStringAsync());
    }

    private HttpClient VisitorHttp(string token)
    {
        var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static MultipartFormDataContent File(byte[] bytes, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { content, "file", name } };
    }
}
