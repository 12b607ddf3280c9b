using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Accounts;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Channels;

/// <summary>
/// The offline form through real HTTP, the visitor hub and the database: its settings (default, valid, invalid with the
/// field, wrong role, another workspace), when the widget's session says nobody can answer (business hours, agents'
/// availability), and what a visitor leaves (checked at the edge; stored once through the message path; marked left).
/// </summary>
public sealed class OfflineFormTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task TheFormIsOnByDefault_AnAdminChangesIt_StoredCleaned_Audited_AndTheWidgetGetsIt()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Offline settings");
        Assert.Equal(OfflineForm.Default, await admin.GetFromJsonAsync<OfflineForm>($"/api/v1/inboxes/{inbox.Id}/offline", KefuFactory.Json));

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", new { enabled = true, intro = "  Back on Monday.\r\nWrite to us! ", outsideHours = true, noAgents = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = new OfflineForm(true, "Back on Monday.\nWrite to us!", true, false);
        Assert.Equal(expected, await response.Content.ReadFromJsonAsync<OfflineForm>(KefuFactory.Json));
        Assert.Equal(expected, (await admin.GetFromJsonAsync<InboxDto>($"/api/v1/inboxes/{inbox.Id}", KefuFactory.Json))!.Offline);
        var detail = (await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString()))[^1].Detail;
        Assert.Equal("offline.enabled=true outsideHours=true noAgents=false intro=true", detail);
        Assert.Equal("Back on Monday.\nWrite to us!", (await _server.NewVisitorAsync(inbox.WidgetKey)).Offline!.Intro);

        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", new { enabled = false })).EnsureSuccessStatusCode();
        Assert.Null((await _server.NewVisitorAsync(inbox.WidgetKey)).Offline);
    }

    [Fact]
    public async Task ATooLongIntro_IsRefusedWithTheField_AndNothingIsSaved()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Wordy");

        var response = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", new { enabled = true, intro = new string('x', OfflineRules.MaxIntro + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("invalid_setting", "intro"), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        Assert.Null(await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox.Id).Select(i => i.OfflineForm).FirstAsync()));
        Assert.Single(await _server.EntriesAsync(AuditActions.SettingChanged, inbox.Id.ToString())); // the creation's alone
    }

    [Fact]
    public async Task WithoutTheSettingsPermission_403_AndAnotherWorkspace_404_NothingChanges()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Guarded offline");
        using var supervisor = await new Workspace(_server).PersonAsync(AgentRole.Supervisor);
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var body = new { enabled = false };

        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Http.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.Http.GetAsync($"/api/v1/inboxes/{inbox.Id}/offline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/inboxes/{inbox.Id}/offline")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http().PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", body)).StatusCode);

        Assert.Null(await _server.WithDbAsync(db => db.Inboxes.Where(i => i.Id == inbox.Id).Select(i => i.OfflineForm).FirstAsync()));
    }

    [Fact]
    public async Task OutsideBusinessHours_TheSessionSaysClosed_EvenWithAnAgentOnline_AndNotOnceTheInboxOpens()
    {
        // A Monday, 07:00 in Shanghai; the inbox opens at 09:00 there.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 1, 3, 23, 0, 0, TimeSpan.Zero));
        await using var server = new KefuFactory { Clock = clock }.Start();
        await using var agent = await server.AgentAsync("Early bird");
        await server.ConfigureInboxAsync(new { timeZone = "Asia/Shanghai", businessHours = "mon-fri 09:00-18:00" });

        Assert.Equal(new WidgetOfflineForm(null, true, "closed"), (await server.NewVisitorAsync()).Offline);

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(new WidgetOfflineForm(null, false, null), (await server.NewVisitorAsync()).Offline);
    }

    [Fact]
    public async Task WithNoAgentAvailable_TheSessionSaysSo_WhenTheFormAsksForThatCase_AndNotOnceAnAgentIsOnline()
    {
        await using var server = new KefuFactory().Start();
        var inboxId = await server.WithDbAsync(db => db.Inboxes.OrderBy(i => i.CreatedAt).Select(i => i.Id).FirstAsync());
        using var admin = await server.AgentHttpAsync();

        Assert.Equal(new WidgetOfflineForm(null, false, null), (await server.NewVisitorAsync()).Offline); // by default only hours count

        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/offline", new { enabled = true, outsideHours = true, noAgents = true })).EnsureSuccessStatusCode();
        Assert.Equal(new WidgetOfflineForm(null, true, "no_agents"), (await server.NewVisitorAsync()).Offline);

        await using var agent = await server.AgentAsync("Now online");
        Assert.Equal(new WidgetOfflineForm(null, false, null), (await server.NewVisitorAsync()).Offline);
    }

    [Theory]
    [InlineData("""{"clientMessageId":"o-1","message":"Call me back"}""", "email")]
    [InlineData("""{"clientMessageId":"o-1","email":"not-an-address","message":"Call me back"}""", "email")]
    [InlineData("""{"clientMessageId":"o-1","email":"\"Eve\" <eve@example.com>","message":"Call me back"}""", "email")]
    [InlineData("""{"clientMessageId":"o-1","email":"ann@example.com","message":"  "}""", "message")]
    [InlineData("""{"clientMessageId":"o-1","email":"ann@example.com"}""", "message")]
    [InlineData("""{"email":"ann@example.com","message":"Call me back"}""", "clientMessageId")]
    [InlineData("""{"clientMessageId":"bot:1","email":"ann@example.com","message":"Call me back"}""", "clientMessageId")]
    public async Task BadSubmissions_AreRefusedWithTheField_AndNothingIsStored(string body, string field)
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Strict offline");
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);

        var response = await SubmitAsync(session.Token, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((OfflineRules.InvalidSubmissionCode, field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        await AssertNothingStoredAsync(session.ContactId);
    }

    [Fact]
    public async Task TooLongParts_AreRefused_AndNothingIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Long offline");
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);

        var message = await SubmitAsync(session.Token, JsonContent.Create(new { clientMessageId = "o-long", email = "ann@example.com", message = new string('m', MessageRules.MaxTextLength + 1) }));
        var name = await SubmitAsync(session.Token, JsonContent.Create(new { clientMessageId = "o-long", name = new string('n', PreChatRules.MaxName + 1), email = "ann@example.com", message = "hi" }));

        Assert.Equal("message", (await message.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal("name", (await name.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        await AssertNothingStoredAsync(session.ContactId);
    }

    [Fact]
    public async Task ASubmission_StoresTheMessageOnce_SetsTheContact_AndLeavesTheConversationAsAMessage_EvenWhenRetried()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Leave a message");
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);
        var body = new { clientMessageId = "offline-7f3a", name = " Ann\nLee ", email = "Ann@Example.com", message = "Please call me back about order 1234." };

        var first = await SubmitAsync(session.Token, JsonContent.Create(body));
        var retry = await SubmitAsync(session.Token, JsonContent.Create(body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var ack = (await first.Content.ReadFromJsonAsync<SendMessageResult>(KefuFactory.Json))!;
        var again = (await retry.Content.ReadFromJsonAsync<SendMessageResult>(KefuFactory.Json))!;
        Assert.Equal((ack.MessageId, false, true), (again.MessageId, ack.Duplicate, again.Duplicate));
        Assert.Equal(("Please call me back about order 1234.", SenderType.Visitor), (ack.Message.Text, ack.Message.Sender));
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.ContactId == session.ContactId));
        Assert.Equal((ack.ConversationId, inbox.Id, (Guid?)null), (conversation.Id, conversation.InboxId, conversation.AssigneeId));
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == ack.ConversationId)));
        var contact = await _server.WithDbAsync(db => db.Contacts.FirstAsync(c => c.Id == session.ContactId));
        Assert.Equal(("Ann Lee", "ann@example.com"), (contact.Name, contact.Email));
        Assert.Equal(QueueState.LeftMessage, await _server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == ack.ConversationId).Select(q => q.State).SingleAsync()));
        var timeline = await _server.TimelineAsync(ack.ConversationId);
        Assert.Single(timeline, e => e.StartsWith("conversation.left_message", StringComparison.Ordinal));
        Assert.Single(timeline, e => e.StartsWith("conversation.created", StringComparison.Ordinal));
        Assert.Equal("Ann Lee", (await _server.NewVisitorAsync(inbox.WidgetKey, session.Token)).ContactName); // prefilled next time
    }

    [Fact]
    public async Task WithAnIdempotencyKey_ARetryGetsTheFirstAnswer_WithoutRunningAgain_AndKeysAreEachVisitorsOwn()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "Keyed offline");
        var ann = await _server.NewVisitorAsync(inbox.WidgetKey);
        var bo = await _server.NewVisitorAsync(inbox.WidgetKey);
        var key = "offline-" + Guid.NewGuid().ToString("N");
        var body = new { clientMessageId = "o-keyed", email = "ann@example.com", message = "Call me back, please." };

        var first = await SubmitAsync(ann.Token, JsonContent.Create(body), key);
        var retry = await SubmitAsync(ann.Token, JsonContent.Create(body), key);
        var changed = await SubmitAsync(ann.Token, JsonContent.Create(body with { email = "eve@example.com" }), key);
        var boFirst = await SubmitAsync(bo.Token, JsonContent.Create(body with { email = "bo@example.com" }), key); // Bo's key space, not Ann's

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        // The first answer itself (Duplicate false): the handler did not run again, which would answer Duplicate true.
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.False((await retry.Content.ReadFromJsonAsync<SendMessageResult>(KefuFactory.Json))!.Duplicate);
        Assert.True(retry.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("idempotency_key_reused", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("ann@example.com", await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == ann.ContactId).Select(c => c.Email).FirstAsync()));
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => db.Conversations.Any(c => c.Id == m.ConversationId && c.ContactId == ann.ContactId))));
        Assert.Equal(HttpStatusCode.OK, boFirst.StatusCode);
        Assert.False(boFirst.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal("bo@example.com", await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == bo.ContactId).Select(c => c.Email).FirstAsync()));
    }

    [Fact]
    public async Task AVisitorWaitingInLine_WhoLeavesTheForm_LeavesTheLine_AndIsToldSo()
    {
        var session = await _server.NewVisitorAsync();
        await using var hub = await _server.ConnectVisitorAsync(session.Token);
        var queue = new Events<QueueStatusEvent>(hub, "QueueUpdated");
        var sent = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-wait", "is anyone there?", null));
        var conversationId = sent.Value!.ConversationId;
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.QueueEntries.AnyAsync(q => q.ConversationId == conversationId && q.State == QueueState.Waiting)), "the visitor in line");

        var response = await SubmitAsync(session.Token, JsonContent.Create(new { clientMessageId = "offline-wait", email = "bo@example.com", message = "I have to go; write to me." }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(conversationId, (await response.Content.ReadFromJsonAsync<SendMessageResult>(KefuFactory.Json))!.ConversationId);
        await queue.WaitAsync(s => s.ConversationId == conversationId && s.State == "left_message");
        Assert.Equal(QueueState.LeftMessage, await _server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == conversationId).Select(q => q.State).SingleAsync()));
        Assert.Equal(2, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversationId)));
    }

    [Fact]
    public async Task WhenTheFormIsOff_OrWithoutAVisitorToken_ASubmissionIsRefused_AndNothingIsStored()
    {
        using var admin = await _server.AgentHttpAsync();
        var inbox = await CreateAsync(admin, "No offline form");
        (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox.Id}/offline", new { enabled = false })).EnsureSuccessStatusCode();
        var session = await _server.NewVisitorAsync(inbox.WidgetKey);
        var body = new { clientMessageId = "o-off", email = "ann@example.com", message = "hello" };

        var off = await SubmitAsync(session.Token, JsonContent.Create(body));
        var anonymous = await _server.Http().PostAsJsonAsync("/api/v1/widget/offline", body);
        var agent = await admin.PostAsJsonAsync("/api/v1/widget/offline", body);

        Assert.Equal("offline_off", (await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(agent.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"an agent's token got {(int)agent.StatusCode}");
        await AssertNothingStoredAsync(session.ContactId);
    }

    private async Task AssertNothingStoredAsync(Guid contactId)
    {
        Assert.Null(await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contactId).Select(c => c.Email).FirstAsync()));
        Assert.False(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.ContactId == contactId)));
    }

    private async Task<HttpResponseMessage> SubmitAsync(string token, HttpContent content, string? idempotencyKey = null)
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widget/offline") { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Idempotency.Header, idempotencyKey);
        }

        return await http.SendAsync(request);
    }

    private static async Task<InboxDto> CreateAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name, allowedOrigins = new[] { "https://shop.example.com" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<InboxDto>(KefuFactory.Json))!;
    }
}
