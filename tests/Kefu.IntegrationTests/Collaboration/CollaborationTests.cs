using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Collaboration;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Collaboration;

/// <summary>Private notes and mentions, following, snooze and pending: through REST, the visitor's hub and the real database.</summary>
public sealed class CollaborationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Note_IsListedForAgents_ButNeverReachesTheVisitor_NotInHistoryResyncOrPreview()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann Notes");
        var chat = await VisitorChatAsync(ann.Id);

        var added = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = "secret: refund approved <b>{{7*7}}</b>" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var notes = await NotesAsync(ann.Http, chat.Id);
        Assert.Equal("secret: refund approved <b>{{7*7}}</b>", Assert.Single(notes).GetProperty("text").GetString()); // stored and returned as written, never evaluated
        var page = await chat.Hub.InvokeAsync<HubResult<MessagePage>>("GetMessages", chat.Id, 0L, 100);
        Assert.True(page.Ok);
        Assert.DoesNotContain(page.Value!.Messages, m => m.Text?.Contains("secret", StringComparison.Ordinal) == true);
        var mine = await chat.Hub.InvokeAsync<HubResult<JsonElement>>("GetConversations");
        Assert.DoesNotContain("secret", mine.Value.GetRawText(), StringComparison.Ordinal);
        var agentHistory = await ann.Http.GetStringAsync($"/api/v1/conversations/{chat.Id}/messages");
        Assert.DoesNotContain("secret", agentHistory, StringComparison.Ordinal); // the message stream is the visitor's: notes are beside it
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ConversationId == chat.Id && m.Text.Contains("secret"))));
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == chat.Id)));
    }

    [Fact]
    public async Task Mention_RingsTheMentionedAgentsBell_NotTheWriters_AndTheMentionedFollow()
    {
        var ws = new Workspace(_server);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var ann = await ws.PersonAsync(name: "Ann " + suffix);
        using var ben = await ws.PersonAsync(name: "Ben " + suffix);
        var chat = await VisitorChatAsync(ann.Id);

        var added = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = $"@ben {suffix} can you check? and @Ann {suffix} too" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var note = await added.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([ben.Id, ann.Id], note.GetProperty("mentions").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()));
        var line = await LineUntilAsync(ben.Http, "mention");
        Assert.Equal(chat.Id, line.GetProperty("conversationId").GetGuid());
        Assert.Equal("Ann " + suffix, line.GetProperty("actorName").GetString());
        Assert.Equal(note.GetProperty("id").GetGuid(), line.GetProperty("noteId").GetGuid()); // the bell links to the note
        Assert.DoesNotContain(await LinesAsync(ann.Http), l => l.GetProperty("kind").GetString() is "mention" or "following"); // never the writer, even self-mentioned
        var follow = await ben.Http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{chat.Id}/notes");
        Assert.Equal(1, follow.GetArrayLength());
        Assert.True(await _server.WithDbAsync(db => db.ConversationFollowers.AnyAsync(f => f.ConversationId == chat.Id && f.AgentId == ben.Id)));

        // A second mention raises the same line (no second one), and the line now opens the newer note.
        var again = await (await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = $"@Ben {suffix} any news?" })).Content.ReadFromJsonAsync<JsonElement>();
        var raised = await LineUntilAsync(ben.Http, "mention", l => l.GetProperty("noteId").GetGuid() == again.GetProperty("id").GetGuid());
        Assert.Equal(2, raised.GetProperty("count").GetInt32());
        Assert.Single(await LinesAsync(ben.Http), l => l.GetProperty("kind").GetString() == "mention" && l.GetProperty("conversationId").GetGuid() == chat.Id);
    }

    [Fact]
    public async Task TeamMention_RingsEveryMember_ButTheWriter()
    {
        var ws = new Workspace(_server);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var admin = await ws.PersonAsync(Kefu.Server.Features.Accounts.Contracts.AgentRole.Admin, "Admin " + suffix);
        using var ann = await ws.PersonAsync(name: "Ann " + suffix);
        using var ben = await ws.PersonAsync(name: "Ben " + suffix);
        var team = await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Billing " + suffix });
        var teamId = (await team.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await admin.Http.PutAsJsonAsync($"/api/v1/teams/{teamId}/members", new { agentIds = new[] { ann.Id, ben.Id } })).EnsureSuccessStatusCode();
        var chat = await VisitorChatAsync(null);

        var added = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = $"@Billing {suffix}: who takes this one?" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await LineUntilAsync(ben.Http, "mention");
        Assert.DoesNotContain(await LinesAsync(ann.Http), l => l.GetProperty("kind").GetString() == "mention");
    }

    [Fact]
    public async Task Mention_OfAnotherWorkspacesAgent_OrAnUnknownName_Is400_AndNothingIsStored()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann Mentioner");
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        var otherName = "Stranger " + Guid.NewGuid().ToString("N")[..6];
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, otherName)));
        var chat = await VisitorChatAsync(ann.Id);

        var foreign = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = $"@{otherName} look" });
        var unknown = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = "ask @nobody-here, please" });
        var empty = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = "   " });
        var tooLong = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = new string('x', 4001) });

        var problem = await AssertProblemAsync(foreign, HttpStatusCode.BadRequest, "unknown_mention");
        Assert.Equal("text", problem.GetProperty("field").GetString());
        Assert.Contains("nobody-here", (await AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "unknown_mention")).GetProperty("title").GetString());
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "note_empty");
        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest, "note_too_long");
        Assert.Equal(0, await _server.WithDbAsync(db => db.Notes.CountAsync(n => n.ConversationId == chat.Id)));
        Assert.Equal(0, await _server.WithDbAsync(db => db.Outbox.CountAsync(o => o.SubjectId == chat.Id && o.Type == NoteCreated.Name)));
        Assert.Equal(0, await _server.WithDbAsync(db => db.ConversationFollowers.CountAsync(f => f.ConversationId == chat.Id)));
    }

    [Fact]
    public async Task Note_IsEditedAndDeletedByItsWriterOnly_AndSearchFollows_ANewMentionRings_AndBadEditsChangeNothing()
    {
        var ws = new Workspace(_server);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var ann = await ws.PersonAsync(name: "Ann " + suffix);
        using var ben = await ws.PersonAsync(name: "Ben " + suffix);
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var chat = await VisitorChatAsync(ann.Id);
        var word = "w" + suffix; // a word only this test writes
        var added = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = $"请联系仓库核实 {word}" });
        var noteId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var url = $"/api/v1/conversations/{chat.Id}/notes/{noteId}";

        // Found by agents' search, marked as a note, with its words in the middle of a Chinese sentence.
        var hit = Assert.Single(await SearchAsync(ann.Http, "仓库"), h => h.GetProperty("messageId").GetGuid() == noteId);
        Assert.Equal(("note", chat.Id), (hit.GetProperty("kind").GetString(), hit.GetProperty("conversationId").GetGuid()));
        Assert.Empty(await SearchAsync(foreign, word));

        // A colleague may read it but not change it; another workspace does not find it; a bad edit changes nothing.
        await AssertProblemAsync(await ben.Http.PutAsJsonAsync(url, new { text = "mine now" }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await ben.Http.DeleteAsync(url), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await foreign.PutAsJsonAsync(url, new { text = "theirs" }), HttpStatusCode.NotFound, "conversation_not_found");
        await AssertProblemAsync(await foreign.DeleteAsync(url), HttpStatusCode.NotFound, "conversation_not_found");
        await AssertProblemAsync(await ann.Http.PutAsJsonAsync(url, new { text = "ask @nobody-here" }), HttpStatusCode.BadRequest, "unknown_mention");
        await AssertProblemAsync(await ann.Http.PutAsJsonAsync(url, new { text = "  " }), HttpStatusCode.BadRequest, "note_empty");
        await AssertProblemAsync(await ann.Http.PutAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes/{Guid.NewGuid()}", new { text = "x" }), HttpStatusCode.NotFound, "note_not_found");
        Assert.Equal($"请联系仓库核实 {word}", Assert.Single(await NotesAsync(ann.Http, chat.Id)).GetProperty("text").GetString());

        // The writer's edit: the list and search show the new text only; Ben, named for the first time, is told and follows.
        var edited = await ann.Http.PutAsJsonAsync(url, new { text = $"@Ben {suffix} 请联系物流核实 {word}" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(ben.Id, Assert.Single((await edited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("mentions").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal($"@Ben {suffix} 请联系物流核实 {word}", Assert.Single(await NotesAsync(ben.Http, chat.Id)).GetProperty("text").GetString());
        Assert.DoesNotContain(await SearchAsync(ann.Http, "仓库"), h => h.GetProperty("messageId").GetGuid() == noteId);
        Assert.Single(await SearchAsync(ann.Http, "物流"), h => h.GetProperty("messageId").GetGuid() == noteId);
        var line = await LineUntilAsync(ben.Http, "mention", l => l.GetProperty("conversationId").GetGuid() == chat.Id);
        Assert.Equal("Ann " + suffix, line.GetProperty("actorName").GetString());
        Assert.Equal(noteId, line.GetProperty("noteId").GetGuid());
        Assert.True(await _server.WithDbAsync(db => db.ConversationFollowers.AnyAsync(f => f.ConversationId == chat.Id && f.AgentId == ben.Id)));

        // Deleted: gone from the list and from search; a second delete is a 404.
        Assert.Equal(HttpStatusCode.NoContent, (await ann.Http.DeleteAsync(url)).StatusCode);
        Assert.Empty(await NotesAsync(ann.Http, chat.Id));
        Assert.Empty(await SearchAsync(ann.Http, word));
        Assert.False(await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Search.SearchDocument>().AnyAsync(d => d.SourceId == noteId)));
        await AssertProblemAsync(await ann.Http.DeleteAsync(url), HttpStatusCode.NotFound, "note_not_found");
    }

    private static async Task<List<JsonElement>> SearchAsync(HttpClient http, string q) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={Uri.EscapeDataString(q)}&pageSize=50")).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task AnotherWorkspacesConversation_Is404_ForNotesFollowSnoozeAndPending_AndNothingChanges()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann Home");
        var chat = await VisitorChatAsync(ann.Id);
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        using var stranger = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var url = $"/api/v1/conversations/{chat.Id}";

        var answers = new[]
        {
            await stranger.PostAsJsonAsync(url + "/notes", new { text = "hi" }),
            await stranger.GetAsync(url + "/notes"),
            await stranger.PostAsync(url + "/follow", null),
            await stranger.DeleteAsync(url + "/follow"),
            await stranger.PostAsJsonAsync(url + "/snooze", new { untilReply = true }),
            await stranger.PostAsync(url + "/pending", null),
            await stranger.PostAsync(url + "/open", null),
        };

        foreach (var answer in answers)
        {
            await AssertProblemAsync(answer, HttpStatusCode.NotFound, "conversation_not_found");
        }

        Assert.Equal(0, await _server.WithDbAsync(db => db.Notes.CountAsync(n => n.ConversationId == chat.Id)));
        Assert.Equal(0, await _server.WithDbAsync(db => db.ConversationFollowers.CountAsync(f => f.ConversationId == chat.Id)));
        Assert.Equal(ConversationStatus.Open, await StatusAsync(chat.Id));
    }

    [Fact]
    public async Task Followers_HearOfCustomersMessages_NotesAndStatusChanges_ButNotOfWhatTheyDidThemselves()
    {
        var ws = new Workspace(_server);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        using var ann = await ws.PersonAsync(name: "Ann " + suffix);
        using var ben = await ws.PersonAsync(name: "Ben " + suffix);
        var chat = await VisitorChatAsync(null);
        (await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/take", null)).EnsureSuccessStatusCode(); // the assignee follows by the event lane
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.ConversationFollowers.AnyAsync(f => f.ConversationId == chat.Id && f.AgentId == ann.Id && f.AsAssignee)),
            "the assignee follows");

        var followed = await ben.Http.PostAsync($"/api/v1/conversations/{chat.Id}/follow", null);
        Assert.True((await followed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("following").GetBoolean());
        await chat.SendAsync("is my refund coming?");
        Assert.Equal(1, (await LineUntilAsync(ben.Http, "following")).GetProperty("count").GetInt32());

        (await ben.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/notes", new { text = "checked the order" })).EnsureSuccessStatusCode();
        (await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/resolve", null)).EnsureSuccessStatusCode();
        await LineUntilAsync(ben.Http, "following", line => line.GetProperty("count").GetInt32() == 2); // the resolve, not his own note
        await LineUntilAsync(ann.Http, "following", line => line.GetProperty("count").GetInt32() >= 1); // Ben's note: the assignee hears of it
        var annLine = Assert.Single(await LinesAsync(ann.Http), l => l.GetProperty("kind").GetString() == "following");
        Assert.Equal(1, annLine.GetProperty("count").GetInt32()); // not her own resolve

        var unfollowed = await ben.Http.DeleteAsync($"/api/v1/conversations/{chat.Id}/follow");
        Assert.False((await unfollowed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("following").GetBoolean());
        Assert.False(await _server.WithDbAsync(db => db.ConversationFollowers.AnyAsync(f => f.ConversationId == chat.Id && f.AgentId == ben.Id)));
    }

    [Fact]
    public async Task Snooze_UntilReply_And_Pending_LeaveTheOpenList_AndComeBackWhenTheCustomerWrites()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann Snoozer");
        var chat = await VisitorChatAsync(ann.Id);

        var snoozed = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{chat.Id}/snooze", new { untilReply = true });

        Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);
        Assert.Equal("snoozed", (await snoozed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.DoesNotContain(await ListAsync(ann.Http, "open"), c => c == chat.Id);
        Assert.Contains(await ListAsync(ann.Http, "snoozed"), c => c == chat.Id);

        await chat.SendAsync("hello again");
        await Wait.UntilAsync(async () => await StatusAsync(chat.Id) == ConversationStatus.Open, "the snooze ends on the customer's reply");
        Assert.Contains(await TimelineAsync(ann.Http, chat.Id), e => e.Type == "conversation.opened" && e.Data.Contains("reply", StringComparison.Ordinal));
        Assert.Contains(await ListAsync(ann.Http, "open"), c => c == chat.Id);

        var pending = await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/pending", null);
        Assert.Equal("pending", (await pending.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Contains(await ListAsync(ann.Http, "pending"), c => c == chat.Id);
        await chat.SendAsync("any news?");
        await Wait.UntilAsync(async () => await StatusAsync(chat.Id) == ConversationStatus.Open, "pending ends on the customer's reply");
        Assert.False(await _server.WithDbAsync(db => db.Snoozes.AnyAsync(s => s.ConversationId == chat.Id)));
    }

    [Fact]
    public async Task Snooze_UntilATime_EndsWhenTheClockGetsThere_NotBefore()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        var ws = new Workspace(server);
        using var ann = await ws.PersonAsync(name: "Ann Clock");
        var id = await ws.ConversationAsync(assignee: ann.Id);

        var until = clock.GetUtcNow().UtcDateTime.AddHours(1);
        var snoozed = await ann.Http.PostAsJsonAsync($"/api/v1/conversations/{id}/snooze", new { until });
        Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await server.Services.GetRequiredService<SnoozeExpiryWorker>().SweepAsync(CancellationToken.None)); // a pass a minute early
        Assert.Equal(ConversationStatus.Snoozed, await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).Select(c => c.Status).SingleAsync()));

        await Wait.UntilAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            return await server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).Select(c => c.Status).SingleAsync()) == ConversationStatus.Open;
        }, "the sweep ends the snooze once its time has come");
        var opened = await server.WithDbAsync(db => db.ConversationEvents.SingleAsync(e => e.ConversationId == id && e.Type == ConversationOpened.Name));
        Assert.Contains("\"time\"", opened.Data, StringComparison.Ordinal);
        Assert.True(opened.CreatedAt >= until);
    }

    [Fact]
    public async Task Snooze_BadInput_Is400Or409_AndNothingChanges()
    {
        var ws = new Workspace(_server);
        using var ann = await ws.PersonAsync(name: "Ann Careful");
        var chat = await VisitorChatAsync(ann.Id);
        var url = $"/api/v1/conversations/{chat.Id}/snooze";

        await AssertProblemAsync(await ann.Http.PostAsJsonAsync(url, new { }), HttpStatusCode.BadRequest, "invalid_snooze");
        await AssertProblemAsync(await ann.Http.PostAsJsonAsync(url, new { until = DateTime.UtcNow.AddHours(1), untilReply = true }), HttpStatusCode.BadRequest, "invalid_snooze");
        await AssertProblemAsync(await ann.Http.PostAsJsonAsync(url, new { until = DateTime.UtcNow.AddMinutes(-1) }), HttpStatusCode.BadRequest, "invalid_snooze");
        await AssertProblemAsync(await ann.Http.PostAsJsonAsync(url, new { until = DateTime.UtcNow.AddYears(2) }), HttpStatusCode.BadRequest, "invalid_snooze");
        await AssertProblemAsync(await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/open", null), HttpStatusCode.Conflict, "not_snoozed");
        Assert.Equal(ConversationStatus.Open, await StatusAsync(chat.Id));

        (await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/resolve", null)).EnsureSuccessStatusCode();
        await AssertProblemAsync(await ann.Http.PostAsJsonAsync(url, new { untilReply = true }), HttpStatusCode.Conflict, "conversation_resolved");
        await AssertProblemAsync(await ann.Http.PostAsync($"/api/v1/conversations/{chat.Id}/pending", null), HttpStatusCode.Conflict, "conversation_resolved");
        Assert.Equal(ConversationStatus.Resolved, await StatusAsync(chat.Id));
        Assert.False(await _server.WithDbAsync(db => db.Snoozes.AnyAsync(s => s.ConversationId == chat.Id)));
        Assert.False(await _server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == chat.Id && e.Type == ConversationSnoozed.Name)));
    }

    /// <summary>A visitor's conversation, held by <paramref name="assignee"/>, with the visitor's hub kept open.</summary>
    private async Task<Chat> VisitorChatAsync(Guid? assignee)
    {
        var session = await _server.NewVisitorAsync();
        var hub = await _server.ConnectVisitorAsync(session.Token);
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), "hello", null));
        var id = ack.Value!.ConversationId;
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssigneeId, assignee).SetProperty(c => c.Handler, assignee == null ? ConversationHandler.Queue : ConversationHandler.Agent)));
        return new Chat(id, hub);
    }

    private Task<ConversationStatus> StatusAsync(Guid id) => _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).Select(c => c.Status).SingleAsync());

    private static async Task<List<JsonElement>> NotesAsync(HttpClient http, Guid id) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}/notes")).EnumerateArray()];

    private static async Task<List<Guid>> ListAsync(HttpClient http, string status) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations?status={status}&view=all")).EnumerateArray().Select(c => c.GetProperty("id").GetGuid())];

    private static async Task<List<TimelineRow>> TimelineAsync(HttpClient http, Guid id) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{id}/timeline")).EnumerateArray()
            .Select(e => new TimelineRow(e.GetProperty("type").GetString()!, e.GetRawText()))];

    private static async Task<List<JsonElement>> LinesAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).GetProperty("items").EnumerateArray()];

    /// <summary>Bell lines are written on the durable lane, after the commit: poll for the line.</summary>
    private static async Task<JsonElement> LineUntilAsync(HttpClient http, string kind, Func<JsonElement, bool>? condition = null)
    {
        JsonElement found = default;
        await Wait.UntilAsync(async () =>
        {
            var line = (await LinesAsync(http)).FirstOrDefault(l => l.GetProperty("kind").GetString() == kind && (condition?.Invoke(l) ?? true));
            found = line;
            return line.ValueKind == JsonValueKind.Object;
        }, $"a '{kind}' line in the bell");
        return found;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    private sealed record TimelineRow(string Type, string Data);

    private sealed record Chat(Guid Id, HubConnection Hub)
    {
        public async Task SendAsync(string text)
        {
            var ack = await Hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(Id, "m-" + Guid.NewGuid().ToString("N")[..12], text, null));
            Assert.True(ack.Ok, ack.Error?.Code);
        }
    }
}
