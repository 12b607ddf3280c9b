using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Retention;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Privacy;

public sealed class RetentionTests
{
    [Fact]
    public async Task RetentionSettings_AreValidated_Audited_AndNeedThePrivacyPermission()
    {
        await using var server = new KefuFactory().Start();
        var inbox = await RetentionRig.DemoInboxAsync(server);
        using var admin = await server.AgentHttpAsync();
        using var supervisor = await RetentionRig.UserAsync(server, AgentRole.Supervisor);
        using var stranger = await RetentionRig.OtherWorkspaceAdminAsync(server);
        var url = $"/api/v1/inboxes/{inbox.Id}/retention";

        var before = await admin.GetFromJsonAsync<InboxRetentionDto>(url, KefuFactory.Json);
        var tooShort = await admin.PutAsJsonAsync(url, new { days = 0, mode = "delete" });
        var tooLong = await admin.PutAsJsonAsync(url, new { days = 3651, mode = "delete" });
        var badMode = await admin.PutAsJsonAsync(url, new { days = 30, mode = "shred" });
        var set = await admin.PutAsJsonAsync(url, new { days = 30, mode = "anonymise" });
        var after = await admin.GetFromJsonAsync<InboxRetentionDto>(url, KefuFactory.Json);

        Assert.Null(before!.Days);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("retention_days_invalid", await tooShort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("retention_mode_invalid", await badMode.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal((30, "anonymise"), (after!.Days, after.Mode));
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PutAsJsonAsync(url, new { days = 1, mode = "delete" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync(url, new { days = 1, mode = "delete" })).StatusCode);
        Assert.Equal(30, await server.WithDbAsync(db => db.Set<InboxRetention>().Where(r => r.InboxId == inbox.Id).Select(r => r.Days).SingleAsync()));
        var audited = Assert.Single(await RetentionRig.AuditAsync(server, AuditActions.RetentionChanged));
        Assert.Equal(inbox.Id.ToString(), audited.TargetId);

        await RetentionRig.SetRetentionAsync(admin, inbox.Id, null, "delete");
        Assert.Null((await admin.GetFromJsonAsync<InboxRetentionDto>(url, KefuFactory.Json))!.Days);
    }

    [Fact]
    public async Task DeleteMode_RemovesExactlyTheExpiredConversationsOfThatInbox_WithTheirFilesAndOrphanedContacts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        await using var server = new KefuFactory { Clock = clock, Logs = logs, Settings = RetentionRig.Settings() }.Start();
        await RetentionRig.WaitForRunsAsync(logs, 1);
        var inbox = await RetentionRig.DemoInboxAsync(server);
        var other = await RetentionRig.AddInboxAsync(server);
        var returning = await RetentionRig.ChatAsync(server, null, withAttachment: true, "my order 1001");
        var once = await RetentionRig.ChatAsync(server, null, withAttachment: false, "just once");
        var elsewhere = await RetentionRig.ChatAsync(server, other.Key, withAttachment: false, "other inbox");
        using (var admin = await server.AgentHttpAsync())
        {
            (await admin.PostAsync($"/api/v1/conversations/{returning.ConversationId}/resolve", null)).EnsureSuccessStatusCode();
        }

        clock.Advance(TimeSpan.FromDays(4));
        await RetentionRig.WaitForRunsAsync(logs, 2); // nothing to do yet: no inbox has retention
        var recent = await RetentionRig.WriteAsync(server, returning.Token, returning.ContactId, withAttachment: false, "back again");
        using (var admin = await server.AgentHttpAsync())
        {
            await RetentionRig.SetRetentionAsync(admin, inbox.Id, 3, "delete");
        }

        var file = RetentionRig.AttachmentPath(server, inbox.TenantId, returning.AttachmentId!.Value);
        Assert.True(File.Exists(file));
        clock.Advance(TimeSpan.FromHours(1));
        await RetentionRig.WaitForRunsAsync(logs, 3);

        var conversations = await server.WithDbAsync(db => db.Conversations.Select(c => c.Id).ToListAsync());
        Assert.DoesNotContain(returning.ConversationId, conversations);
        Assert.DoesNotContain(once.ConversationId, conversations);
        Assert.Contains(recent.ConversationId, conversations);
        Assert.Contains(elsewhere.ConversationId, conversations);
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == returning.ConversationId || m.ConversationId == once.ConversationId)));
        Assert.Equal(0, await server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == returning.ConversationId)));
        Assert.False(await server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == returning.AttachmentId)));
        Assert.False(File.Exists(file));
        var contacts = await server.WithDbAsync(db => db.Contacts.Select(c => c.Id).ToListAsync());
        Assert.Contains(returning.ContactId, contacts); // still has a recent conversation
        Assert.DoesNotContain(once.ContactId, contacts);
        Assert.Contains(elsewhere.ContactId, contacts);
        Assert.Equal(2, await server.WithDbAsync(db => db.Outbox.CountAsync(o => o.Type == ConversationDeleted.Name)));
        var audit = Assert.Single(await RetentionRig.AuditAsync(server, AuditActions.RetentionApplied));
        Assert.Equal(inbox.Id.ToString(), audit.TargetId);
        Assert.Null(audit.ActorId);
        var counts = JsonSerializer.Deserialize<Dictionary<string, int>>(audit.Detail!)!;
        Assert.Equal((2, 3, 1, 1), (counts["conversations"], counts["messages"], counts["attachments"], counts["contacts"]));
    }

    [Fact]
    public async Task AnonymiseMode_KeepsTheShapeAndCounts_RemovesTextFilesAndTheContactsDetails_Once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        await using var server = new KefuFactory { Clock = clock, Logs = logs, Settings = RetentionRig.Settings() }.Start();
        await RetentionRig.WaitForRunsAsync(logs, 1);
        var inbox = await RetentionRig.DemoInboxAsync(server);
        using (var admin = await server.AgentHttpAsync())
        {
            await RetentionRig.SetRetentionAsync(admin, inbox.Id, 3, "anonymise");
        }

        var chat = await RetentionRig.ChatAsync(server, null, withAttachment: true, "my phone is 13812345678", "and my address");
        await server.WithDbAsync(db => db.Contacts.Where(c => c.Id == chat.ContactId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Email, "alice@example.com").SetProperty(c => c.Tags, "vip")));
        var shape = await server.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == chat.ConversationId));
        var file = RetentionRig.AttachmentPath(server, inbox.TenantId, chat.AttachmentId!.Value);
        Assert.True(await server.WithDbAsync(db => db.ProtectedMessageValues.AnyAsync(v => v.ConversationId == chat.ConversationId))); // the masked phone number

        clock.Advance(TimeSpan.FromDays(4));
        await RetentionRig.WaitForRunsAsync(logs, 2);

        var conversation = await server.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == chat.ConversationId));
        var messages = await server.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.ConversationId == chat.ConversationId).ToListAsync());
        var contact = await server.WithDbAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == chat.ContactId));
        Assert.Equal((shape.LastSeq, shape.CreatedAt, shape.LastMessageAt, shape.InboxId, shape.Status), (conversation.LastSeq, conversation.CreatedAt, conversation.LastMessageAt, conversation.InboxId, conversation.Status));
        Assert.Equal(PersonalData.RemovedText, conversation.LastMessagePreview);
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.Equal(PersonalData.RemovedText, m.Text));
        Assert.All(messages, m => Assert.Null(m.AttachmentId));
        Assert.False(await server.WithDbAsync(db => db.ProtectedMessageValues.AnyAsync(v => v.ConversationId == chat.ConversationId)));
        Assert.False(await server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.Id == chat.AttachmentId)));
        Assert.False(File.Exists(file));
        Assert.Equal((PersonalData.RemovedName, null, ""), (contact.Name, contact.Email, contact.Tags));
        Assert.True(await server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == chat.ConversationId && e.Type == ConversationAnonymised.Name)));

        // The next run finds nothing new: the conversation is marked as done up to its last activity.
        Assert.Single(await RetentionRig.AuditAsync(server, AuditActions.RetentionApplied));
        clock.Advance(TimeSpan.FromHours(1));
        await RetentionRig.WaitForRunsAsync(logs, 3);
        Assert.Single(await RetentionRig.AuditAsync(server, AuditActions.RetentionApplied));
    }

    [Fact]
    public async Task AJobStoppedMidway_IsFinishedByTheNextServer_AndEachRunIsAudited()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var chats = new List<Chat>();
        var logs = new LogCollector();
        // One conversation per batch and a long pause after each: the first server is stopped inside its run.
        await using (var first = new KefuFactory(dataDirectory) { Clock = clock, Logs = logs, Settings = RetentionRig.Settings(batchSize: 1, batchPause: "00:01:00") }.Start())
        {
            await RetentionRig.WaitForRunsAsync(logs, 1);
            var inbox = await RetentionRig.DemoInboxAsync(first);
            using (var admin = await first.AgentHttpAsync())
            {
                await RetentionRig.SetRetentionAsync(admin, inbox.Id, 3, "delete");
            }

            for (var i = 0; i < 3; i++)
            {
                chats.Add(await RetentionRig.ChatAsync(first, null, withAttachment: false, "hello " + i));
            }

            clock.Advance(TimeSpan.FromDays(4));
            await Wait.UntilAsync(async () => await first.WithDbAsync(db => db.Conversations.CountAsync()) == 2, "the first batch");
        }

        Assert.Equal(1, RetentionRig.RunsFinished(logs)); // the start-up one; the second was stopped inside
        var ids = chats.Select(c => c.ConversationId).ToList();
        var secondLogs = new LogCollector();
        await using var second = new KefuFactory(dataDirectory) { Clock = clock, Logs = secondLogs, Settings = RetentionRig.Settings(batchSize: 1) }.Start();
        await RetentionRig.WaitForRunsAsync(secondLogs, 1);

        Assert.Equal(0, await second.WithDbAsync(db => db.Conversations.CountAsync(c => ids.Contains(c.Id))));
        var audits = await RetentionRig.AuditAsync(second, AuditActions.RetentionApplied);
        Assert.Equal([1, 2], audits.Select(a => JsonSerializer.Deserialize<Dictionary<string, int>>(a.Detail!)!["conversations"]));
    }

    [Fact]
    public async Task WhileAnotherNodeHoldsTheLease_ThisNodeErasesNothing_AndTakesOverWhenItLapses()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        await using var server = new KefuFactory { Clock = clock, Logs = logs, Settings = RetentionRig.Settings() }.Start();
        await RetentionRig.WaitForRunsAsync(logs, 1);
        var lapses = clock.GetUtcNow().UtcDateTime.AddDays(30);
        await server.WithDbAsync(db => db.Leases.Where(l => l.Name == RetentionWorker.LeaseName)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, "another-node").SetProperty(l => l.ExpiresAt, lapses)));
        var inbox = await RetentionRig.DemoInboxAsync(server);
        using (var admin = await server.AgentHttpAsync())
        {
            await RetentionRig.SetRetentionAsync(admin, inbox.Id, 3, "delete");
        }

        var chat = await RetentionRig.ChatAsync(server, null, withAttachment: false, "kept while the lease is elsewhere");
        clock.Advance(TimeSpan.FromDays(4));
        await Wait.UntilAsync(() => Task.FromResult(RetentionRig.RunsSkipped(logs) >= 1), "a run skipped after the clock moved");

        Assert.True(await server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == chat.ConversationId)));
        Assert.Equal(1, RetentionRig.RunsFinished(logs));

        // The other node stops renewing: its lease lapses and this node's next run does the work.
        clock.Advance(TimeSpan.FromDays(30));
        await RetentionRig.WaitForRunsAsync(logs, 2);
        Assert.False(await server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.Id == chat.ConversationId)));
    }
}
