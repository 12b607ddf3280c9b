using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.CannedReplies;

/// <summary>
/// A canned reply's files (ADR 0042): kept by the workspace, copied for the agent who inserts the reply, sent through
/// the hub like any upload of theirs, and still downloadable after the reply is gone; bad ids store nothing.
/// </summary>
public sealed class CannedReplyAttachmentTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    // A valid 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task ReplyFiles_AreTheWorkspaces_CopiedForTheAgentOnUse_SentThroughTheHub_DownloadedByTheVisitor_AndOutliveTheReply()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-1", "where is my invoice", null));
        var conversation = first.Value!.ConversationId;
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, agent.Id).SetProperty(c => c.Handler, ConversationHandler.Agent)));
        var png = await UploadAsync(agent.Http, Png, "label.png");
        var text = await UploadAsync(agent.Http, Encoding.UTF8.GetBytes("invoice 订单 42"), "invoice.txt");

        var created = await agent.Http.PostAsJsonAsync("/api/v1/canned-replies",
            new { title = "Invoice", shortcut = Unique("inv"), textEn = "Here is your invoice, {{contact.name}}", attachmentIds = new[] { png.Id, text.Id } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reply = await created.Content.ReadFromJsonAsync<JsonElement>();
        var replyId = reply.GetProperty("id").GetGuid();
        Assert.Equal(["label.png", "invoice.txt"], reply.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()));
        // The rows are the workspace's now: not even the agent who uploaded them can send them as they are.
        Assert.Equal(0, await _server.WithDbAsync(db => db.Attachments.CountAsync(a => (a.Id == png.Id || a.Id == text.Id) && a.UploaderAgentId != null)));
        await using var hub = await _server.ConnectAgentAsync(agent.Token);
        var direct = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("direct-1", "", png.Id));
        Assert.Equal("attachment_not_found", direct.Error?.Code);
        // Another agent's personal reply, files included, does not exist for a colleague.
        var foreignUse = await colleague.Http.PostAsJsonAsync($"/api/v1/canned-replies/{replyId}/use", new { conversationId = conversation });
        Assert.Equal(HttpStatusCode.NotFound, foreignUse.StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.Attachments.CountAsync(a => a.UploaderAgentId == colleague.Id)));

        var used = await agent.Http.PostAsJsonAsync($"/api/v1/canned-replies/{replyId}/use", new { conversationId = conversation });
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        var copies = (await used.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attachments").EnumerateArray()
            .Select(a => (Id: a.GetProperty("id").GetGuid(), Name: a.GetProperty("fileName").GetString())).ToList();
        Assert.Equal(["label.png", "invoice.txt"], copies.Select(c => c.Name));
        Assert.DoesNotContain(copies, c => c.Id == png.Id || c.Id == text.Id);
        var store = _server.Services.GetRequiredService<AttachmentStore>();
        if (OperatingSystem.IsLinux())
        {
            // No copy of the bytes: the copy's name is a second hard link to the reply's file.
            var original = store.PathFor(await _server.WithDbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == png.Id)));
            var copy = store.PathFor(await _server.WithDbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == copies[0].Id)));
            Assert.Equal("2 2", $"{await StatAsync("%h", original)} {await StatAsync("%h", copy)}");
            Assert.Equal(await StatAsync("%i", original), await StatAsync("%i", copy));
        }

        var sent = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("canned-1", "Here is your invoice", copies[0].Id));
        Assert.Null(sent.Error);
        var history = await visitor.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversation, 0L, 50);
        var seen = Assert.Single(history.Value!.Messages, m => m.Attachment?.Id == copies[0].Id);
        Assert.Equal("Here is your invoice", seen.Text);
        Assert.Equal(Png, await _server.Http().GetByteArrayAsync(seen.Attachment!.Url));
        Assert.Equal(Png.Length, (await _server.WithDbAsync(db => db.Attachments.SingleAsync(a => a.Id == copies[0].Id))).Size);

        // Editing the reply without the text file deletes that file (row and bytes); the copy the agent holds stays theirs.
        var textRow = await _server.WithDbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == text.Id));
        var edited = await agent.Http.PutAsJsonAsync($"/api/v1/canned-replies/{replyId}",
            new { title = "Invoice", shortcut = reply.GetProperty("shortcut").GetString(), textEn = "Here it is", attachmentIds = new[] { png.Id } });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(["label.png"], (await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()));
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == text.Id)));
        Assert.False(File.Exists(store.PathFor(textRow)));
        Assert.True(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == copies[1].Id && a.UploaderAgentId == agent.Id)));

        // Deleting the reply deletes its own file; the message's copy shares no name on disk with it and still downloads.
        var pngRow = await _server.WithDbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == png.Id));
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.DeleteAsync($"/api/v1/canned-replies/{replyId}")).StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == png.Id)));
        Assert.False(File.Exists(store.PathFor(pngRow)));
        var again = await visitor.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversation, 0L, 50);
        var still = Assert.Single(again.Value!.Messages, m => m.Attachment?.Id == copies[0].Id);
        Assert.Equal(Png, await _server.Http().GetByteArrayAsync(still.Attachment!.Url));
    }

    [Fact]
    public async Task BadFiles_UnknownForeignSentTooManyOrAudio_Are404Or422_AndStoreNothing()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var mine = await UploadAsync(agent.Http, Png, "mine.png");
        var theirs = await UploadAsync(colleague.Http, Png, "theirs.png");
        var otherWorkspace = await UploadAsync(foreign, Png, "other.png");
        // A colleague's personal reply: its files are not the agent's to take either.
        var colleagueReply = await colleague.Http.PostAsJsonAsync("/api/v1/canned-replies",
            new { title = "Theirs", shortcut = Unique("t"), textEn = "x", attachmentIds = new[] { theirs.Id } });
        Assert.Equal(HttpStatusCode.Created, colleagueReply.StatusCode);
        // Ogg with an Opus identification header: audio by its bytes, like a voice message.
        var ogg = new byte[64];
        "OggS"u8.CopyTo(ogg);
        "OpusHead"u8.CopyTo(ogg.AsSpan(28));
        var audio = await UploadAsync(agent.Http, ogg, "voice.ogg");
        var sent = await UploadAsync(agent.Http, Png, "sent.png");
        var conversation = await ws.ConversationAsync(assignee: agent.Id);
        await using var hub = await _server.ConnectAgentAsync(agent.Token);
        Assert.Null((await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("s-1", "", sent.Id))).Error);
        var six = new List<Guid> { mine.Id };
        for (var i = 0; i < 5; i++)
        {
            six.Add((await UploadAsync(agent.Http, Png, $"p{i}.png")).Id);
        }

        (Guid[] Ids, HttpStatusCode Status, string Code)[] cases =
        [
            ([Guid.CreateVersion7()], HttpStatusCode.NotFound, "attachment_not_found"),
            ([mine.Id, theirs.Id], HttpStatusCode.NotFound, "attachment_not_found"),
            ([otherWorkspace.Id], HttpStatusCode.NotFound, "attachment_not_found"),
            ([sent.Id], HttpStatusCode.NotFound, "attachment_not_found"),
            ([.. six], HttpStatusCode.UnprocessableEntity, "canned_attachments_too_many"),
            ([mine.Id, audio.Id], HttpStatusCode.UnprocessableEntity, "canned_attachment_type_not_allowed"),
        ];
        foreach (var (ids, status, code) in cases)
        {
            var response = await agent.Http.PostAsJsonAsync("/api/v1/canned-replies", new { title = "T", shortcut = Unique("b"), textEn = "x", attachmentIds = ids });
            Assert.Equal(status, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal("attachmentIds", problem.GetProperty("field").GetString());
        }

        Assert.Equal(0, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
        // Nothing was taken over: the agent's uploads are still theirs, the colleague's reply keeps its file.
        var stillMine = six.Append(audio.Id).ToList();
        Assert.Equal(stillMine.Count, await _server.WithDbAsync(db => db.Attachments.CountAsync(a => stillMine.Contains(a.Id) && a.UploaderAgentId == agent.Id)));
        var kept = await colleague.Http.GetFromJsonAsync<JsonElement>($"/api/v1/canned-replies/{(await colleagueReply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()}");
        Assert.Equal(theirs.Id, Assert.Single(kept.GetProperty("attachments").EnumerateArray()).GetProperty("id").GetGuid());
    }

    /// <summary>One field of stat(1) (<c>%h</c> link count, <c>%i</c> inode).</summary>
    private static async Task<string> StatAsync(string format, string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = await stat.StandardOutput.ReadToEndAsync();
        await stat.WaitForExitAsync();
        return output.Trim();
    }

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private static async Task<AttachmentDto> UploadAsync(HttpClient http, byte[] bytes, string name)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var response = await http.PostAsync("/api/v1/attachments", new MultipartFormDataContent { { content, "file", name } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
    }
}
