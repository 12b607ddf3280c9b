using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Requests;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Privacy;

public sealed class RequestsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Export_IsAZipOfTheContactsOwnData_WithTheirFiles_AndIsAudited()
    {
        var alice = await RetentionRig.ChatAsync(_server, null, withAttachment: true, "order 4711 for alice");
        var bob = await RetentionRig.ChatAsync(_server, null, withAttachment: false, "bob's own secret");
        using var admin = await _server.AgentHttpAsync();
        (await admin.PostAsJsonAsync($"/api/v1/conversations/{alice.ConversationId}/messages", new { clientMessageId = "a-1", text = "we ship 4711 today" }))
            .EnsureSuccessStatusCode();

        var response = await admin.GetAsync($"/api/v1/contacts/{alice.ContactId}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var contact = Read(zip, "contact.json");
        var conversations = Read(zip, "conversations.json");
        Assert.Equal(alice.ContactId, contact.GetProperty("id").GetGuid());
        var conversation = Assert.Single(conversations.EnumerateArray());
        var texts = conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Contains("order 4711 for alice", texts);
        Assert.Contains("we ship 4711 today", texts);
        Assert.NotEmpty(conversation.GetProperty("timeline").EnumerateArray());
        Assert.DoesNotContain("bob's own secret", ReadAll(zip));
        Assert.DoesNotContain(bob.ConversationId.ToString(), ReadAll(zip));
        var file = Assert.Single(zip.Entries, e => e.FullName.StartsWith("attachments/", StringComparison.Ordinal));
        await using (var bytes = file.Open())
        {
            using var copy = new MemoryStream();
            await bytes.CopyToAsync(copy);
            Assert.Equal(RetentionRig.Png, copy.ToArray());
        }

        Assert.Equal(alice.AttachmentId, Read(zip, "attachments.json")[0].GetProperty("id").GetGuid());
        Assert.NotNull(zip.GetEntry("identities.json"));
        Assert.NotNull(zip.GetEntry("bot.json"));
        var audit = (await RetentionRig.AuditAsync(_server, AuditActions.ContactExported)).Last();
        Assert.Equal(alice.ContactId.ToString(), audit.TargetId);
        Assert.Null(audit.Detail);
    }

    [Fact]
    public async Task Export_WithoutThePermission_Is403_AndAcrossWorkspaces_Is404()
    {
        var chat = await RetentionRig.ChatAsync(_server, null, withAttachment: false, "hello");
        using var agent = await RetentionRig.UserAsync(_server, AgentRole.Agent);
        using var supervisor = await RetentionRig.UserAsync(_server, AgentRole.Supervisor);
        using var stranger = await RetentionRig.OtherWorkspaceAdminAsync(_server);
        using var admin = await _server.AgentHttpAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"/api/v1/contacts/{chat.ContactId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"/api/v1/contacts/{chat.ContactId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/contacts/{chat.ContactId}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/contacts/{Guid.NewGuid()}/export")).StatusCode);
    }

    [Fact]
    public async Task Erase_RemovesEverythingAboutTheContact_KeepsTheAuditTrail_TellsTheConsole_AndASecondTimeIs404()
    {
        var alice = await RetentionRig.ChatAsync(_server, null, withAttachment: true, "alice's address");
        var again = await RetentionRig.ChatAsync(_server, null, withAttachment: false, "someone else");
        var tenantId = (await RetentionRig.DemoInboxAsync(_server)).TenantId;
        var file = RetentionRig.AttachmentPath(_server, tenantId, alice.AttachmentId!.Value);
        using var admin = await _server.AgentHttpAsync();
        (await admin.GetAsync($"/api/v1/contacts/{alice.ContactId}/export")).EnsureSuccessStatusCode();
        var auditBefore = await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Accounts.Audit.AuditEntry>().CountAsync());
        await using var agentHub = await _server.ConnectAgentAsync();
        var deleted = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        agentHub.On<Guid>("ConversationDeleted", id => deleted.TrySetResult(id));

        var response = await admin.PostAsync($"/api/v1/contacts/{alice.ContactId}/erase", null);
        var second = await admin.PostAsync($"/api/v1/contacts/{alice.ContactId}/erase", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var counts = (await response.Content.ReadFromJsonAsync<ContactErasedDto>(KefuFactory.Json))!.Counts;
        Assert.Equal((1, 2, 1, 1), (counts["conversations"], counts["messages"], counts["attachments"], counts["contacts"]));
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Contains("contact_not_found", await second.Content.ReadAsStringAsync());
        Assert.False(await _server.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Id == alice.ContactId)));
        Assert.False(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.ContactId == alice.ContactId)));
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ConversationId == alice.ConversationId)));
        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == alice.AttachmentId)));
        Assert.False(File.Exists(file));
        Assert.True(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == again.ConversationId)));
        Assert.Equal(alice.ConversationId, await deleted.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var erased = Assert.Single(await RetentionRig.AuditAsync(_server, AuditActions.ContactErased), e => e.TargetId == alice.ContactId.ToString());
        Assert.DoesNotContain("alice", erased.Detail!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(await RetentionRig.AuditAsync(_server, AuditActions.ContactExported), e => e.TargetId == alice.ContactId.ToString());
        Assert.True(await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Accounts.Audit.AuditEntry>().CountAsync()) > auditBefore);
    }

    [Fact]
    public async Task Erase_WithoutThePrivacyPermission_Is403_AndAcrossWorkspaces_Is404_AndErasesNothing()
    {
        var chat = await RetentionRig.ChatAsync(_server, null, withAttachment: false, "keep me");
        using var supervisor = await RetentionRig.UserAsync(_server, AgentRole.Supervisor);
        using var stranger = await RetentionRig.OtherWorkspaceAdminAsync(_server);

        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync($"/api/v1/contacts/{chat.ContactId}/erase", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/contacts/{chat.ContactId}/erase", null)).StatusCode);
        Assert.True(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == chat.ConversationId)));
        Assert.True(await _server.WithDbAsync(db => db.Contacts.AnyAsync(c => c.Id == chat.ContactId)));
    }

    private static JsonElement Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private static string ReadAll(ZipArchive zip) => string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".json", StringComparison.Ordinal)).Select(e =>
    {
        using var reader = new StreamReader(e.Open());
        return reader.ReadToEnd();
    }));
}
