using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.Privacy.Retention;
using Kefu.Server.Features.Collaboration;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Search;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Search;

/// <summary>Search through HTTP on a real database: indexing from the event lane, Chinese inside sentences, scope, erasure, bad input.</summary>
public sealed class SearchTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task ChineseTwoCharacterWord_InTheMiddleOfASentence_IsFound_WithTheMatchAsASpan_AndItsSeq()
    {
        var tag = Unique();
        var chat = await ChatAsync($"您好{tag}我上周买的鞋子想申请退款因为尺码不对");
        using var admin = await _server.AgentHttpAsync();

        var page = await FoundAsync(admin, "退款", h => h.ConversationId == chat.ConversationId);

        var hit = Assert.Single(page.Items, h => h.ConversationId == chat.ConversationId);
        Assert.Equal(("message", 1L, "Visitor"), (hit.Kind, hit.Seq, hit.Sender));
        Assert.Equal("退款", Assert.Single(hit.Snippet, s => s.Match).Text);
        Assert.Equal($"您好{tag}我上周买的鞋子想申请退款因为尺码不对", string.Concat(hit.Snippet.Select(s => s.Text)));
        Assert.Contains((await SearchAsync(admin, "尺码 鞋子")).Items, h => h.ConversationId == chat.ConversationId); // two words, both must match
        Assert.DoesNotContain((await SearchAsync(admin, "退款 发货")).Items, h => h.ConversationId == chat.ConversationId);
        Assert.Contains((await SearchAsync(admin, "申请退款")).Items, h => h.ConversationId == chat.ConversationId); // a phrase
        Assert.DoesNotContain((await SearchAsync(admin, "退款申请")).Items, h => h.ConversationId == chat.ConversationId); // not the same order
    }

    [Fact]
    public async Task EnglishAndFullWidth_AreFoundCaseInsensitively_AsWholeWords()
    {
        var word = "zq" + Unique();
        var chat = await ChatAsync($"Hi, my ＯＲＤＥＲ {word.ToUpperInvariant()} never arrived.");
        using var admin = await _server.AgentHttpAsync();

        var page = await FoundAsync(admin, word, h => h.ConversationId == chat.ConversationId);

        Assert.Equal(word.ToUpperInvariant(), Assert.Single(Assert.Single(page.Items).Snippet, s => s.Match).Text);
        Assert.Contains((await SearchAsync(admin, $"order {word}")).Items, h => h.ConversationId == chat.ConversationId);
        Assert.Empty((await SearchAsync(admin, word[..^1])).Items); // a word is matched whole, not as a prefix of another
    }

    [Fact]
    public async Task AnotherWorkspacesMessages_NeverAppear_AndItsOwnAdminFindsThem()
    {
        var word = "跨租户" + Unique();
        var (key, otherEmail) = await _server.CreateOtherTenantAsync();
        var mine = await ChatAsync($"我们这里也有{word}的问题");
        var theirs = await ChatAsync($"他们那边的{word}问题", key);
        using var admin = await _server.AgentHttpAsync();
        using var other = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));

        var a = await FoundAsync(admin, word, h => h.ConversationId == mine.ConversationId);
        var b = await FoundAsync(other, word, h => h.ConversationId == theirs.ConversationId);

        Assert.Equal([mine.ConversationId], a.Items.Select(h => h.ConversationId));
        Assert.Equal([theirs.ConversationId], b.Items.Select(h => h.ConversationId));
        var byId = await admin.GetAsync($"/api/v1/search?kind=conversation&q={theirs.ConversationId}");
        Assert.Empty((await byId.Content.ReadFromJsonAsync<SearchPage>(KefuFactory.Json))!.Items);
    }

    [Fact]
    public async Task AnAgentWhoMayNotSeeTheConversation_DoesNotFindIt_UntilItIsAssignedToThem()
    {
        var word = "看不见" + Unique();
        var ws = new Workspace(_server);
        using var admin = await _server.AgentHttpAsync();
        using var person = await ws.PersonAsync(name: "Assigned Only");
        var role = await admin.CreateRoleAsync("Own only " + Unique(), "conversationsAssigned");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SetAccessAsync(person.Id, role)).StatusCode);
        var conversation = await ws.ConversationAsync(text: $"这个{word}消息");
        await FoundAsync(admin, word, h => h.ConversationId == conversation);

        Assert.Empty((await SearchAsync(person.Http, word)).Items);
        Assert.Empty((await SearchAsync(person.Http, conversation.ToString(), "conversation")).Items);

        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, person.Id)));
        Assert.Equal([conversation], (await SearchAsync(person.Http, word)).Items.Select(h => h.ConversationId));
    }

    [Fact]
    public async Task ErasedAndAnonymisedConversations_AreNotFound_AndTheirDocumentsAreGone()
    {
        var word = "删除" + Unique();
        var erased = await ChatAsync($"请删除我的{word}记录");
        var anonymised = await ChatAsync($"匿名化{word}之后");
        using var admin = await _server.AgentHttpAsync();
        await FoundAsync(admin, word, h => h.ConversationId == erased.ConversationId);
        await FoundAsync(admin, word, h => h.ConversationId == anonymised.ConversationId);
        // An agent's note about the customer in the conversation that will be anonymised.
        var note = await admin.PostAsJsonAsync($"/api/v1/conversations/{anonymised.ConversationId}/notes", new { text = $"客户说{word}要回电" });
        Assert.True(note.IsSuccessStatusCode, await note.Content.ReadAsStringAsync());

        (await admin.PostAsync($"/api/v1/contacts/{erased.ContactId}/erase", null)).EnsureSuccessStatusCode();
        var tenant = await new Workspace(_server).TenantIdAsync();
        await _server.Services.GetRequiredService<ConversationEraser>().EraseBatchAsync(
            tenant, db => db.Conversations.Where(c => c.Id == anonymised.ConversationId), 10, ErasureMode.Anonymise, ErasureReasons.Retention, CancellationToken.None);

        Assert.Empty((await SearchAsync(admin, word)).Items);
        Assert.Equal(0, await _server.WithDbAsync(db => db.SearchDocuments.CountAsync(d => d.ConversationId == erased.ConversationId || d.ConversationId == anonymised.ConversationId)));
        // The note keeps that it was written, not its words, and the notes' backfill (run at every start) finds nothing
        // to put back into search.
        Assert.Equal([PersonalData.RemovedText], await _server.WithDbAsync(db => db.Notes.Where(n => n.ConversationId == anonymised.ConversationId).Select(n => n.Text).ToListAsync()));
        await _server.Services.GetRequiredService<NoteSearchBackfill>().BatchAsync(CancellationToken.None);
        Assert.Equal(0, await _server.WithDbAsync(db => db.SearchDocuments.CountAsync(d => d.ConversationId == anonymised.ConversationId)));
        Assert.Empty((await SearchAsync(admin, word)).Items);
        Assert.Equal(0, await _server.WithDbAsync(db => !db.Database.IsSqlite() ? Task.FromResult(0) : db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM \"SearchFts\" WHERE \"SearchFts\" MATCH {0}", SearchQuery.Parse(word)!.ToSqlite()).SingleAsync()));
    }

    [Fact]
    public async Task Filters_NarrowByStatusInboxAgentTagAndDate()
    {
        var word = "筛选" + Unique();
        var ws = new Workspace(_server);
        var (inbox, key) = await ws.InboxAsync("Second " + Unique());
        var first = await ChatAsync($"第一个{word}");
        var second = await ChatAsync($"第二个{word}", key);
        var adminId = await ws.AdminIdAsync();
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == first.ConversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Resolved).SetProperty(c => c.AssigneeId, adminId)));
        await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == second.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tags, "vip 大客户")));
        using var admin = await _server.AgentHttpAsync();
        await FoundAsync(admin, word, h => h.ConversationId == second.ConversationId);
        await FoundAsync(admin, word, h => h.ConversationId == first.ConversationId);

        Assert.Equal([first.ConversationId], await IdsAsync(admin, word, "&status=resolved"));
        Assert.Equal([second.ConversationId], await IdsAsync(admin, word, $"&inboxId={inbox}"));
        Assert.Equal([first.ConversationId], await IdsAsync(admin, word, $"&agentId={adminId}"));
        Assert.Equal([second.ConversationId], await IdsAsync(admin, word, "&tag=" + Uri.EscapeDataString("大客户")));
        Assert.Empty(await IdsAsync(admin, word, "&from=" + Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(5).ToString("O"))));
        Assert.Equal(2, (await IdsAsync(admin, word, "&to=" + Uri.EscapeDataString(DateTime.UtcNow.AddMinutes(5).ToString("O")))).Count);
    }

    [Fact]
    public async Task AConversation_IsFoundByItsContactsName_AndAReplayedEventIndexesNothingTwice()
    {
        var name = "王小明" + Unique();
        var chat = await ChatAsync("你好");
        await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == chat.ContactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, name)));
        using var admin = await _server.AgentHttpAsync();

        var page = await SearchAsync(admin, name[1..], "conversation");

        var hit = Assert.Single(page.Items);
        Assert.Equal((chat.ConversationId, name[1..]), (hit.ConversationId!.Value, Assert.Single(hit.Snippet, s => s.Match).Text));
        Assert.Equal(chat.ContactId, Assert.Single((await SearchAsync(admin, name, "contact")).Items).ContactId);

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.SearchDocuments.AnyAsync(d => d.ConversationId == chat.ConversationId)), "the message indexed");
        var message = await _server.WithDbAsync(db => db.Messages.SingleAsync(m => m.ConversationId == chat.ConversationId));
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == chat.ConversationId));
        var replay = new MessageCreated(message.Id, 1, SenderType.Visitor, ConversationHandler.Queue, conversation.InboxId, conversation.ContactId)
        {
            TenantId = conversation.TenantId, ConversationId = conversation.Id, Actor = Actor.Visitor(conversation.ContactId), OccurredAt = DateTime.UtcNow,
        };
        var consumer = _server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "search");
        await consumer.HandleAllAsync([replay, replay], CancellationToken.None);
        Assert.Equal(0, await _server.Services.GetRequiredService<SearchIndexQueue>().FlushAsync(CancellationToken.None));
        Assert.Equal(1, await _server.WithDbAsync(db => db.SearchDocuments.CountAsync(d => d.ConversationId == chat.ConversationId)));
    }

    [Theory]
    [InlineData(10_000)]
    [InlineData(201)]
    [InlineData(0)]
    public async Task AQueryTooLongOrEmpty_Is400_NamingTheField_InTheBodyOrTheUrl(int length)
    {
        using var admin = await _server.AgentHttpAsync();
        var q = length == 0 ? "  " : new string('退', length);

        var byBody = await admin.PostAsJsonAsync("/api/v1/search", new { q });
        var byUrl = await admin.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q));

        await AssertInvalidAsync(byBody, "q");
        if (length == 10_000)
        {
            Assert.Equal(HttpStatusCode.RequestUriTooLong, byUrl.StatusCode); // refused by the server before any handler
        }
        else
        {
            await AssertInvalidAsync(byUrl, "q");
        }
    }

    [Theory]
    [InlineData("q=%22%2A%28%29", "q")] // punctuation and FTS syntax only
    [InlineData("q=x&kind=tickets", "kind")]
    [InlineData("q=x&status=closed", "status")]
    [InlineData("q=x&tag=a%20b", "tag")]
    [InlineData("q=x&from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("q=x&pageSize=500", "pageSize")]
    public async Task BadParameters_Are400_NamingTheField(string query, string field)
    {
        using var admin = await _server.AgentHttpAsync();

        await AssertInvalidAsync(await admin.GetAsync("/api/v1/search?" + query), field);
    }

    [Fact]
    public async Task QuerySyntax_IsNeverInterpreted()
    {
        var word = "语法" + Unique();
        var chat = await ChatAsync($"包含{word}的消息");
        using var admin = await _server.AgentHttpAsync();
        await FoundAsync(admin, word, h => h.ConversationId == chat.ConversationId);

        foreach (var q in new[] { $"\"{word}\" OR *", $"{word} NEAR(a b)", $"{word}:* & !x", $"{word}' --" })
        {
            var response = await admin.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString(q));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("invalid_search", field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
    }

    private async Task<(Guid ConversationId, Guid ContactId)> ChatAsync(string text, string? key = null)
    {
        var session = await _server.NewVisitorAsync(key);
        await using var hub = await _server.ConnectVisitorAsync(session.Token);
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "s-" + Guid.NewGuid().ToString("N"), text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
        return (ack.Value!.ConversationId, session.ContactId);
    }

    /// <summary>Searches until the hit is there: messages are indexed on the durable lane, after the send returned.</summary>
    private static async Task<SearchPage> FoundAsync(HttpClient http, string q, Func<SearchHit, bool> hit)
    {
        SearchPage? page = null;
        await Wait.UntilAsync(async () => (page = await SearchAsync(http, q)).Items.Any(hit), $"a search for {q} to find the message");
        return page!;
    }

    private static async Task<SearchPage> SearchAsync(HttpClient http, string q, string kind = "message", string extra = "")
    {
        var response = await http.GetAsync($"/api/v1/search?kind={kind}&q={Uri.EscapeDataString(q)}{extra}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<SearchPage>(KefuFactory.Json))!;
    }

    private static async Task<List<Guid?>> IdsAsync(HttpClient http, string q, string extra) =>
        (await SearchAsync(http, q, extra: extra)).Items.Select(h => h.ConversationId).ToList();

    /// <summary>A unique word of letters (digits could be masked as personal data), so each test's words are its own in the shared database.</summary>
    private static string Unique() => new(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
}
