using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Masking;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Privacy;

/// <summary>Personal data masked at ingest through the hubs and the REST API, kept encrypted beside the message, revealed only with the permission and audited.</summary>
public sealed class MaskingTests(MaskingServer fixture) : IClassFixture<MaskingServer>
{
    private const string Mobile = "13800138000";
    private const string IdNumber = "110101199003071233";
    private const string Card = "6222 0212 3456 7894";
    private static readonly string VisitorText = $"我的手机号是{Mobile}，身份证{IdNumber}";

    private readonly LogCollector _logs = fixture.Logs;
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task VisitorMessage_IsStoredAndPushedMasked_WithTheOriginalsOnlyEncrypted()
    {
        await using var agent = await _server.ConnectAgentAsync();
        var live = new Events<MessageDto>(agent, "MessageCreated");

        var ack = await SendAsVisitorAsync(VisitorText);

        const string masked = "我的手机号是138****8000，身份证110101********1233";
        Assert.Equal(masked, ack.Message.Text);
        Assert.Equal(2, ack.Message.MaskedValues);
        Assert.Equal(masked, (await live.WaitAsync(m => m.Id == ack.MessageId)).Text);
        var stored = await _server.WithDbAsync(db => db.Messages.SingleAsync(m => m.Id == ack.MessageId));
        Assert.Equal(masked, stored.Text);
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == ack.ConversationId));
        Assert.Equal(masked, conversation.LastMessagePreview);
        var rows = await _server.WithDbAsync(db => db.ProtectedMessageValues.Where(v => v.ConversationId == ack.ConversationId).OrderBy(v => v.Position).ToListAsync());
        Assert.Equal([PersonalDataKind.Mobile, PersonalDataKind.IdentityNumber], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(ack.Seq, r.Seq));

        using var http = await _server.AgentHttpAsync();
        var page = await http.GetFromJsonAsync<MessagePage>($"/api/v1/conversations/{ack.ConversationId}/messages", KefuFactory.Json);
        Assert.Equal(masked, Assert.Single(page!.Messages).Text);
        await AssertNowhereInPlainAsync(Mobile, IdNumber);
    }

    [Fact]
    public async Task AgentMessage_WithACardNumber_IsMaskedForTheVisitorToo()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var pushed = new Events<MessageDto>(visitor, "MessageCreated");
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-1", "which card?", null));
        using var http = await _server.AgentHttpAsync();

        var response = await http.PostAsJsonAsync($"/api/v1/conversations/{first.Value!.ConversationId}/messages", new AgentSendMessage("a-1", $"卡号 {Card} 已登记", null));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reply = (await response.Content.ReadFromJsonAsync<SendMessageResult>(KefuFactory.Json))!;
        Assert.Equal("卡号 6222 **** **** 7894 已登记", reply.Message.Text);
        Assert.Equal(reply.Message.Text, (await pushed.WaitAsync(m => m.Id == reply.MessageId)).Text);
        var history = await visitor.InvokeAsync<HubResult<MessagePage>>("GetMessages", first.Value.ConversationId, 0L, 10);
        Assert.Equal(reply.Message.Text, history.Value!.Messages.Single(m => m.Seq == reply.Seq).Text);
        await AssertNowhereInPlainAsync("6222021234567894", Card);
    }

    [Fact]
    public async Task AMessageWithoutPersonalData_IsStoredAsTyped_WithNoOriginals()
    {
        var ack = await SendAsVisitorAsync("订单号202611309876543210012345什么时候发货？");

        Assert.Equal("订单号202611309876543210012345什么时候发货？", ack.Message.Text);
        Assert.Equal(0, ack.Message.MaskedValues);
        Assert.False(await _server.WithDbAsync(db => db.ProtectedMessageValues.AnyAsync(v => v.ConversationId == ack.ConversationId)));
    }

    [Fact]
    public async Task Unmask_ByAnAdmin_ReturnsTheOriginals_NotStored_AndAudited()
    {
        var ack = await SendAsVisitorAsync(VisitorText);
        using var http = await _server.AgentHttpAsync();

        var response = await http.PostAsync($"/api/v1/conversations/{ack.ConversationId}/messages/{ack.Seq}/unmask", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var revealed = (await response.Content.ReadFromJsonAsync<UnmaskedMessageDto>(KefuFactory.Json))!;
        Assert.Equal(VisitorText, revealed.Text);
        Assert.Equal([Mobile, IdNumber], revealed.Values.Select(v => v.Original));
        Assert.Equal(["138****8000", "110101********1233"], revealed.Values.Select(v => v.Masked));

        var entry = await _server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == $"{ack.ConversationId}:{ack.Seq}"));
        Assert.Equal("kinds=Mobile,IdentityNumber", entry.Detail);
        Assert.NotNull(entry.ActorId);
        Assert.Equal(AuditOutcome.Succeeded, entry.Outcome);
        await AssertNowhereInPlainAsync(Mobile, IdNumber);
    }

    [Fact]
    public async Task Unmask_WithoutThePermission_Is403_AndRevealsNothing()
    {
        var ack = await SendAsVisitorAsync(VisitorText);
        var agentEmail = await _server.CreateAgentInDemoTenantAsync();
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(agentEmail));

        var response = await http.PostAsync($"/api/v1/conversations/{ack.ConversationId}/messages/{ack.Seq}/unmask", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(Mobile, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == $"{ack.ConversationId}:{ack.Seq}")));
    }

    [Fact]
    public async Task Unmask_AnotherWorkspacesMessage_Is404_EvenForItsAdmin()
    {
        var ack = await SendAsVisitorAsync(VisitorText);
        using var other = await _server.AgentHttpAsync(await _server.AgentTokenAsync(await OtherWorkspaceAdminAsync()));
        using var own = await _server.AgentHttpAsync();

        var foreign = await other.PostAsync($"/api/v1/conversations/{ack.ConversationId}/messages/{ack.Seq}/unmask", null);
        var missingSeq = await own.PostAsync($"/api/v1/conversations/{ack.ConversationId}/messages/99/unmask", null);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("conversation_not_found", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missingSeq.StatusCode);
        Assert.Equal("message_not_found", (await missingSeq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.False(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == $"{ack.ConversationId}:{ack.Seq}")));
    }

    [Fact]
    public async Task Unmask_OutsideTheUsersConversationScope_Is404_EvenWithThePermission()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var unmasker = await ws.PersonAsync();
        var role = await admin.Http.CreateRoleAsync("Assigned unmasker " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned", "unmaskPersonalData");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(unmasker.Id, role)).StatusCode);
        var theirs = await ws.ConversationAsync(assignee: unmasker.Id, text: VisitorText);
        var colleagues = await ws.ConversationAsync(assignee: admin.Id, text: VisitorText);

        var own = await unmasker.Http.PostAsync($"/api/v1/conversations/{theirs}/messages/1/unmask", null);
        var other = await unmasker.Http.PostAsync($"/api/v1/conversations/{colleagues}/messages/1/unmask", null);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == $"{colleagues}:1")));
    }

    [Fact]
    public async Task ErasingTheContact_ErasesTheOriginals()
    {
        var session = await _server.NewVisitorAsync();
        Guid conversationId;
        await using (var visitor = await _server.ConnectVisitorAsync(session.Token))
        {
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "e-1", VisitorText, null));
            conversationId = ack.Value!.ConversationId;
            Assert.True(await _server.WithDbAsync(db => db.ProtectedMessageValues.AnyAsync(v => v.ConversationId == conversationId)));
        }

        using var http = await _server.AgentHttpAsync();
        var erased = await http.PostAsync($"/api/v1/contacts/{session.ContactId}/erase", null);

        Assert.True(erased.IsSuccessStatusCode, erased.StatusCode.ToString());
        Assert.False(await _server.WithDbAsync(db => db.ProtectedMessageValues.AnyAsync(v => v.ConversationId == conversationId)));
        var audit = await _server.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.ContactErased && e.TargetId == session.ContactId.ToString()));
        Assert.Contains("masked_values", audit.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Originals_AreBoundToTheirWorkspace_AndDoNotDecryptAsAnother()
    {
        var ack = await SendAsVisitorAsync(VisitorText);
        var row = await _server.WithDbAsync(db => db.ProtectedMessageValues.FirstAsync(v => v.ConversationId == ack.ConversationId));
        var protector = _server.Services.GetRequiredService<PersonalDataProtector>();

        Assert.Equal(Mobile, protector.Unprotect(row.TenantId, row.Cipher));
        Assert.Null(protector.Unprotect(Guid.NewGuid(), row.Cipher));
    }

    private async Task<SendMessageResult> SendAsVisitorAsync(string text)
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, Guid.NewGuid().ToString("N"), text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
        return ack.Value!;
    }

    /// <summary>An admin (who may unmask in their own workspace) of an unrelated workspace.</summary>
    private async Task<string> OtherWorkspaceAdminAsync()
    {
        var (_, email) = await _server.CreateOtherTenantAsync();
        await using var scope = _server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        user.Role = AgentRole.Admin;
        Assert.True((await users.UpdateAsync(user)).Succeeded);
        return email;
    }

    /// <summary>
    /// The originals appear in no table and no log line: on SQLite every byte of the database file and
    /// its write-ahead log is read; on PostgreSQL every text column of every table of the test database.
    /// </summary>
    private async Task AssertNowhereInPlainAsync(params string[] originals)
    {
        if (_server.PostgresConnection is null)
        {
            var files = Directory.GetFiles(_server.DataDirectory, "kefu.db*");
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                byte[] bytes;
                await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    bytes = new byte[stream.Length];
                    await stream.ReadExactlyAsync(bytes);
                }

                foreach (var original in originals)
                {
                    var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(original));
                    Assert.True(at < 0, $"{Path.GetFileName(file)} holds an original in plain text: …{Encoding.UTF8.GetString(bytes.AsSpan(Math.Max(0, at - 200), 260)).Replace('\0', '.')}…");
                }
            }
        }
        else
        {
            var dump = await _server.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
                """
                SELECT string_agg(t::text, ' ') AS "Value" FROM (
                  SELECT row_to_json(x)::text AS t FROM "Messages" x UNION ALL SELECT row_to_json(x)::text FROM "Conversations" x
                  UNION ALL SELECT row_to_json(x)::text FROM "Outbox" x UNION ALL SELECT row_to_json(x)::text FROM "ConversationEvents" x
                  UNION ALL SELECT row_to_json(x)::text FROM "ProtectedMessageValues" x UNION ALL SELECT row_to_json(x)::text FROM "AuditEntries" x) rows
                """).SingleAsync());
            Assert.All(originals, o => Assert.DoesNotContain(o, dump ?? "", StringComparison.Ordinal));
        }

        Assert.All(originals, o => Assert.DoesNotContain(_logs.Entries, e => e.Text.Contains(o, StringComparison.Ordinal)));
    }
}

/// <summary>One server for the masking tests, with its log lines collected.</summary>
public sealed class MaskingServer : IAsyncLifetime
{
    public MaskingServer() => Server = new KefuFactory { Logs = Logs };

    public LogCollector Logs { get; } = new();
    public KefuFactory Server { get; }

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
