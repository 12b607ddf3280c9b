using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Security;

/// <summary>Attachment links expire (410), tampered ones are 404, and loading the conversation hands out fresh ones.</summary>
public sealed class AttachmentLinkTests
{
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task AttachmentLink_ExpiresAfterItsLifetime_AndReloadingTheConversationGivesAFreshOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory
        {
            Clock = clock, Settings = new Dictionary<string, string> { ["Kefu:Conversations:AttachmentLinkLifetime"] = "00:30:00" },
        }.Start();
        var (conversationId, url) = await SendImageAsync(server);
        using var anyone = server.Http();

        var fresh = await anyone.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.InRange(fresh.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));

        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Gone, (await anyone.GetAsync(url)).StatusCode);

        using var agent = await server.AgentHttpAsync();
        var page = (await agent.GetFromJsonAsync<MessagePage>($"/api/v1/conversations/{conversationId}/messages", KefuFactory.Json))!;
        var reloaded = page.Messages.Single(m => m.Attachment is not null).Attachment!.Url;
        Assert.NotEqual(url, reloaded);
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync(reloaded)).StatusCode);
    }

    [Fact]
    public async Task AttachmentLink_Tampered_OrMovedToAnotherAttachment_Is404()
    {
        await using var server = new KefuFactory().Start();
        var (_, url) = await SendImageAsync(server);
        var (_, other) = await SendImageAsync(server);
        using var anyone = server.Http();
        var token = url[(url.IndexOf("?t=", StringComparison.Ordinal) + 3)..];

        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(url[..^4] + (url.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(other[..(other.IndexOf("?t=", StringComparison.Ordinal) + 3)] + token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync(url[..url.IndexOf('?', StringComparison.Ordinal)])).StatusCode);
    }

    private static async Task<(Guid ConversationId, string Url)> SendImageAsync(KefuFactory server)
    {
        var session = await server.NewVisitorAsync();
        using var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        var content = new ByteArrayContent(Png);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var upload = await http.PostAsync("/api/v1/attachments", new MultipartFormDataContent { { content, "file", "photo.png" } });
        var attachment = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "img-" + Guid.NewGuid().ToString("N"), "", attachment.Id));
        return (ack.Value!.ConversationId, ack.Value.Message.Attachment!.Url);
    }
}
