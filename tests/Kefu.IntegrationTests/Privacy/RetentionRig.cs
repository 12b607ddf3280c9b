using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Privacy;

/// <summary>A visitor's conversation as the tests made it: through the widget session, the visitor hub and the upload API.</summary>
internal sealed record Chat(Guid ContactId, Guid ConversationId, Guid? AttachmentId, string Token);

/// <summary>Builders for the retention and data subject request tests: real sessions, real messages, real uploads.</summary>
internal static class RetentionRig
{
    /// <summary>A valid 1x1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>Server settings: the retention log lines the tests wait for, and no pause between batches.</summary>
    public static Dictionary<string, string> Settings(int batchSize = 200, string batchPause = "00:00:00") => new()
    {
        ["Logging:LogLevel:Kefu.Server.Features.Accounts.Privacy"] = "Debug",
        ["Kefu:Privacy:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Kefu:Privacy:BatchPause"] = batchPause,
    };

    /// <summary>Retention runs finished so far (the worker logs one line per run).</summary>
    public static int RunsFinished(LogCollector logs) => logs.Entries.Count(e => e.Id.Id == 4101);

    /// <summary>Runs skipped because another node held the lease.</summary>
    public static int RunsSkipped(LogCollector logs) => logs.Entries.Count(e => e.Id.Id == 4102);

    public static Task WaitForRunsAsync(LogCollector logs, int count) =>
        Wait.UntilAsync(() => Task.FromResult(RunsFinished(logs) >= count), $"{count} retention runs");

    public static async Task<(Guid Id, Guid TenantId, string Key)> DemoInboxAsync(KefuFactory server)
    {
        var inbox = await server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey != null).OrderBy(i => i.CreatedAt)
            .Select(i => new { i.Id, i.TenantId, i.WidgetKey }).FirstAsync());
        return (inbox.Id, inbox.TenantId, inbox.WidgetKey!);
    }

    /// <summary>A second web-widget inbox in the demo workspace.</summary>
    public static async Task<(Guid Id, string Key)> AddInboxAsync(KefuFactory server)
    {
        var demo = await DemoInboxAsync(server);
        var inbox = new Inbox { Id = Guid.CreateVersion7(), TenantId = demo.TenantId, Name = "Second", WidgetKey = "second" + Guid.NewGuid().ToString("N")[..8], CreatedAt = DateTime.UtcNow };
        await server.WithDbAsync(async db =>
        {
            db.Inboxes.Add(inbox);
            return await db.SaveChangesAsync();
        });
        return (inbox.Id, inbox.WidgetKey);
    }

    /// <summary>A new visitor writes <paramref name="texts"/> (and sends a PNG first when asked).</summary>
    public static async Task<Chat> ChatAsync(KefuFactory server, string? key, bool withAttachment, params string[] texts)
    {
        var session = await server.NewVisitorAsync(key);
        return await WriteAsync(server, session.Token, session.ContactId, withAttachment, texts);
    }

    /// <summary>A known visitor writes again (a new conversation when their last one was resolved long enough ago).</summary>
    public static async Task<Chat> WriteAsync(KefuFactory server, string token, Guid contactId, bool withAttachment, params string[] texts)
    {
        await using var visitor = await server.ConnectVisitorAsync(token);
        Guid? conversationId = null;
        Guid? attachmentId = null;
        if (withAttachment)
        {
            using var http = server.Http();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var file = new ByteArrayContent(Png);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var upload = await http.PostAsync("/api/v1/attachments", new MultipartFormDataContent { { file, "file", "photo.png" } });
            upload.EnsureSuccessStatusCode();
            attachmentId = (await upload.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!.Id;
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "file-" + Guid.NewGuid().ToString("N"), "", attachmentId));
            conversationId = ack.Value!.ConversationId;
        }

        foreach (var text in texts)
        {
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(conversationId, Guid.NewGuid().ToString("N"), text, null));
            Assert.Null(ack.Error);
            conversationId = ack.Value!.ConversationId;
        }

        return new Chat(contactId, conversationId!.Value, attachmentId, token);
    }

    public static async Task SetRetentionAsync(HttpClient admin, Guid inboxId, int? days, string mode)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/retention", new { days, mode });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Where the attachment's bytes live (Conversations' <c>AttachmentStore</c> layout).</summary>
    public static string AttachmentPath(KefuFactory server, Guid tenantId, Guid attachmentId) =>
        Path.Combine(Path.GetFullPath(server.DataDirectory), "uploads", tenantId.ToString("N"), attachmentId.ToString("N"));

    public static Task<List<AuditEntry>> AuditAsync(KefuFactory server, string action) =>
        server.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Id).ToListAsync());

    /// <summary>A signed-in user of the demo workspace with a built-in role, as an API client.</summary>
    public static async Task<HttpClient> UserAsync(KefuFactory server, AgentRole role)
    {
        var email = await server.CreateAgentInDemoTenantAsync(role.ToString());
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, role)));
        return await server.AgentHttpAsync(await server.AgentTokenAsync(email));
    }

    /// <summary>An admin of another workspace, as an API client.</summary>
    public static async Task<HttpClient> OtherWorkspaceAdminAsync(KefuFactory server)
    {
        var (_, email) = await server.CreateOtherTenantAsync();
        await server.WithDbAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        return await server.AgentHttpAsync(await server.AgentTokenAsync(email));
    }
}
