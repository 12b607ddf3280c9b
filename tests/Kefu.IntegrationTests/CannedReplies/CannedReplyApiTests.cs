using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.CannedReplies;

/// <summary><c>/api/v1/canned-replies</c>: CRUD, scopes and who sees what, bad input storing nothing, filling, usage order, CSV.</summary>
public sealed class CannedReplyApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task PersonalReply_IsCreatedListedReadUpdatedAndDeleted_ByAnyAgent_AndEachChangeIsAudited()
    {
        using var agent = await new Workspace(_server).PersonAsync();
        var shortcut = Unique("hi");

        var created = await CreateAsync(agent.Http, new { title = "Greeting", shortcut = "/" + shortcut, category = "General", textZh = "您好 {{contact.name}}", textEn = "Hello {{contact.name}}" });
        var id = created.GetProperty("id").GetGuid();
        var listed = await agent.Http.GetFromJsonAsync<JsonElement>("/api/v1/canned-replies?q=" + shortcut.ToUpperInvariant());
        var updated = await agent.Http.PutAsJsonAsync($"/api/v1/canned-replies/{id}", new { title = "Greeting 2", shortcut, textEn = "Hi" });
        var read = await agent.Http.GetFromJsonAsync<JsonElement>($"/api/v1/canned-replies/{id}");
        var deleted = await agent.Http.DeleteAsync($"/api/v1/canned-replies/{id}");

        Assert.Equal(shortcut, created.GetProperty("shortcut").GetString()); // the leading '/' is not part of it
        Assert.Equal("personal", created.GetProperty("scope").GetString());
        Assert.Equal(agent.Id, created.GetProperty("ownerId").GetGuid());
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Greeting 2", read.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("textZh").ValueKind);
        Assert.True(read.GetProperty("canManage").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.GetAsync($"/api/v1/canned-replies/{id}")).StatusCode);
        var audit = await _server.WithDbAsync(db => db.AuditEntries.Where(a => a.TargetId == id.ToString() && a.Action == AuditActions.SettingChanged)
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());
        Assert.Equal(["canned_reply.created; scope=personal", "canned_reply.updated; scope=personal", "canned_reply.deleted; scope=personal"], audit);
    }

    [Fact]
    public async Task Scopes_AgentsKeepPersonalRepliesToThemselves_TeamRepliesReachMembers_AndSharedOnesNeedTheKnowledgePermission()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        using var supervisor = await ws.PersonAsync(AgentRole.Supervisor);
        var teamId = await TeamWithAsync(colleague.Id);

        var refused = await agent.Http.PostAsJsonAsync("/api/v1/canned-replies", new { title = "S", shortcut = Unique("s"), textEn = "x", scope = "shared" });
        var personal = (await CreateAsync(agent.Http, new { title = "Mine", shortcut = Unique("m"), textEn = "mine" })).GetProperty("id").GetGuid();
        var shared = (await CreateAsync(supervisor.Http, new { title = "Shared", shortcut = Unique("s"), textEn = "all", scope = "shared" })).GetProperty("id").GetGuid();
        var team = (await CreateAsync(supervisor.Http, new { title = "Team", shortcut = Unique("t"), textEn = "team", scope = "team", teamId })).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var agentSees = await IdsAsync(agent.Http);
        var colleagueSees = await IdsAsync(colleague.Http);
        Assert.Contains(personal, agentSees);
        Assert.Contains(shared, agentSees);
        Assert.DoesNotContain(team, agentSees); // not a member
        Assert.Contains(team, colleagueSees);
        Assert.DoesNotContain(personal, colleagueSees);
        // Another agent's personal reply does not exist for the colleague, whatever they try.
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.GetAsync($"/api/v1/canned-replies/{personal}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.PutAsJsonAsync($"/api/v1/canned-replies/{personal}", new { title = "x", shortcut = "x1", textEn = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.DeleteAsync($"/api/v1/canned-replies/{personal}")).StatusCode);
        // A shared reply is used by all but edited only with the knowledge permission.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.DeleteAsync($"/api/v1/canned-replies/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PutAsJsonAsync($"/api/v1/canned-replies/{personal}", new { title = "x", shortcut = Unique("x"), textEn = "x", scope = "shared" })).StatusCode);
        Assert.Equal("Mine", (await agent.Http.GetFromJsonAsync<JsonElement>($"/api/v1/canned-replies/{personal}")).GetProperty("title").GetString());
        Assert.Equal(1, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.Id == shared)));
    }

    [Fact]
    public async Task AnotherWorkspace_SeesNoneOfThisOnesReplies_AndGets404OnEachOfThem()
    {
        using var supervisor = await new Workspace(_server).PersonAsync(AgentRole.Supervisor);
        var shared = (await CreateAsync(supervisor.Http, new { title = "Shared", shortcut = Unique("w"), textEn = "all", scope = "shared" })).GetProperty("id").GetGuid();
        var conversation = await new Workspace(_server).ConversationAsync();
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));

        Assert.DoesNotContain(shared, await IdsAsync(foreign));
        Assert.DoesNotContain(shared.ToString(), await foreign.GetStringAsync("/api/v1/canned-replies/export"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/canned-replies/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/canned-replies/{shared}", new { title = "x", shortcut = "x", textEn = "x", scope = "shared" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/canned-replies/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsJsonAsync($"/api/v1/canned-replies/{shared}/use", new { conversationId = conversation })).StatusCode);
        // Their own reply on this workspace's conversation: the conversation is not found either.
        var theirs = (await CreateAsync(foreign, new { title = "T", shortcut = Unique("f"), textEn = "x" })).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsJsonAsync($"/api/v1/canned-replies/{theirs}/use", new { conversationId = conversation })).StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.CannedReplies.Where(r => r.Id == shared || r.Id == theirs).SumAsync(r => r.UsageCount)));
    }

    [Fact]
    public async Task ShortcutUsedTwiceInOneScope_WhateverItsCase_Is400NamingTheField_AndStoresNothing()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        var shortcut = Unique("Refund");
        await CreateAsync(agent.Http, new { title = "Refund", shortcut, textEn = "one" });

        var twice = await agent.Http.PostAsJsonAsync("/api/v1/canned-replies", new { title = "Refund again", shortcut = "/" + shortcut.ToUpperInvariant(), textEn = "two" });
        var otherScope = await colleague.Http.PostAsJsonAsync("/api/v1/canned-replies", new { title = "Refund", shortcut, textEn = "theirs" });

        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        var problem = await twice.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("canned_shortcut_taken", problem.GetProperty("code").GetString());
        Assert.Equal("shortcut", problem.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Created, otherScope.StatusCode); // another agent's personal scope is another scope
        Assert.Equal(1, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
    }

    [Theory]
    [InlineData("Hi {{7*7}}", "{{7*7}}")]
    [InlineData("Hi {{contact.phone}}", "{{contact.phone}}")]
    [InlineData("Hi {{ contact.attributes.level }}", "{{ contact.attributes.level }}")]
    [InlineData("Hi {{}}", "{{}}")]
    public async Task UnknownVariable_Is400NamingIt_AndStoresNothing(string text, string named)
    {
        using var agent = await new Workspace(_server).PersonAsync();

        var response = await agent.Http.PostAsJsonAsync("/api/v1/canned-replies", new { title = "T", shortcut = Unique("v"), textZh = "好的", textEn = text });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknown_variable", problem.GetProperty("code").GetString());
        Assert.Equal("textEn", problem.GetProperty("field").GetString());
        Assert.Contains(named, problem.GetProperty("title").GetString());
        Assert.Equal(0, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
    }

    [Theory]
    [InlineData("""{"title":"","shortcut":"a","textEn":"x"}""", "title")]
    [InlineData("""{"title":"T","shortcut":"two words","textEn":"x"}""", "shortcut")]
    [InlineData("""{"title":"T","shortcut":"/","textEn":"x"}""", "shortcut")]
    [InlineData("""{"title":"T","shortcut":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","textEn":"x"}""", "shortcut")]
    [InlineData("""{"title":"T","shortcut":"a","textZh":"  ","textEn":""}""", "textZh")]
    [InlineData("""{"title":"T","shortcut":"a","textEn":"x","scope":"team"}""", "teamId")]
    [InlineData("""{"title":"T","shortcut":"a","textEn":"x","teamId":"0190d0a0-0000-7000-8000-000000000000"}""", "teamId")]
    public async Task BadField_Is400NamingIt_AndStoresNothing(string body, string field)
    {
        using var agent = await new Workspace(_server).PersonAsync();

        var response = await agent.Http.PostAsync("/api/v1/canned-replies", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(0, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
    }

    [Fact]
    public async Task Use_FillsTheVariables_InTheVisitorsLanguage_LeavesTemplateSyntaxLiteral_FlagsMissingValues_AndCountsTheUse()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync(name: "Agent Li");
        var english = await ws.ConversationAsync(text: "where is my parcel");
        var chinese = await ws.ConversationAsync(text: "我的快递到哪里了");
        var contact = await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == english).Select(c => c.ContactId).SingleAsync());
        await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "{{agent.name}} Wang").SetProperty(c => c.Email, (string?)null)));
        var id = (await CreateAsync(agent.Http, new
        {
            title = "Parcel", shortcut = Unique("p"),
            textZh = "{{contact.name}}您好，我是{{agent.name}}",
            textEn = "Hi {{contact.name}}, {{ agent.name }} here about {{conversation.id}} in {{inbox.name}}. @(1+1) ${x} <b>{{contact.email}}</b>",
        })).GetProperty("id").GetGuid();

        var en = await UseAsync(agent.Http, id, english);
        var zh = await UseAsync(agent.Http, id, chinese);

        var inbox = await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == english).Join(db.Inboxes, c => c.InboxId, i => i.Id, (c, i) => i.Name).SingleAsync());
        Assert.Equal("en", en.GetProperty("language").GetString());
        // The contact's name is put in once and never read as a template; the rest stays exactly as written.
        Assert.Equal($"Hi {{{{agent.name}}}} Wang, Agent Li here about {english} in {inbox}. @(1+1) ${{x}} <b>{{{{contact.email}}}}</b>", en.GetProperty("text").GetString());
        Assert.Equal(["{{contact.email}}"], en.GetProperty("unfilled").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("zh-CN", zh.GetProperty("language").GetString());
        Assert.EndsWith("您好，我是Agent Li", zh.GetProperty("text").GetString());
        var counts = await _server.WithDbAsync(async db => (
            await db.CannedReplies.Where(r => r.Id == id).Select(r => r.UsageCount).SingleAsync(),
            await db.CannedReplyUsage.Where(u => u.ReplyId == id && u.AgentId == agent.Id).Select(u => u.Count).SingleAsync()));
        Assert.Equal((2, 2), counts);
        Assert.Equal(0, await _server.WithDbAsync(db => db.Messages.CountAsync(m => (m.ConversationId == english || m.ConversationId == chinese) && m.SenderId == agent.Id)));
    }

    [Fact]
    public async Task List_OffersTheRepliesTheAgentUsesMost_First()
    {
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        var conversation = await ws.ConversationAsync();
        var marker = Unique("o");
        var rarely = (await CreateAsync(agent.Http, new { title = "A rarely", shortcut = marker + "a", textEn = "a" })).GetProperty("id").GetGuid();
        var often = (await CreateAsync(agent.Http, new { title = "B often", shortcut = marker + "b", textEn = "b" })).GetProperty("id").GetGuid();
        var never = (await CreateAsync(agent.Http, new { title = "C never", shortcut = marker + "c", textEn = "c" })).GetProperty("id").GetGuid();
        await UseAsync(agent.Http, rarely, conversation);
        await UseAsync(agent.Http, often, conversation);
        await UseAsync(agent.Http, often, conversation);

        var listed = await agent.Http.GetFromJsonAsync<JsonElement>("/api/v1/canned-replies?q=" + marker);

        Assert.Equal([often, rarely, never], listed.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()));
        Assert.Equal(2, listed[0].GetProperty("myUsageCount").GetInt32());
    }

    [Fact]
    public async Task Csv_ExportThenImport_RestoresADeletedReply_UpdatesTheOthers_AndKeepsEveryField()
    {
        using var agent = await new Workspace(_server).PersonAsync();
        var marker = Unique("c");
        var kept = (await CreateAsync(agent.Http, new { title = "Kept, \"quoted\"", shortcut = marker + "k", category = "售后", textZh = "第一行\n第二行", textEn = "=1+1 {{contact.name}}" })).GetProperty("id").GetGuid();
        var gone = (await CreateAsync(agent.Http, new { title = "Gone", shortcut = marker + "g", textEn = "bye" })).GetProperty("id").GetGuid();
        var csv = await agent.Http.GetStringAsync("/api/v1/canned-replies/export");
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.DeleteAsync($"/api/v1/canned-replies/{gone}")).StatusCode);

        var import = await agent.Http.PostAsync("/api/v1/canned-replies/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var result = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, 1), (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32()));
        var replies = (await agent.Http.GetFromJsonAsync<JsonElement>("/api/v1/canned-replies?q=" + marker)).EnumerateArray().ToList();
        Assert.Equal(2, replies.Count);
        var restored = replies.Single(r => r.GetProperty("id").GetGuid() == kept);
        Assert.Equal("Kept, \"quoted\"", restored.GetProperty("title").GetString());
        Assert.Equal("售后", restored.GetProperty("category").GetString());
        Assert.Equal("第一行\n第二行", restored.GetProperty("textZh").GetString());
        Assert.Equal("=1+1 {{contact.name}}", restored.GetProperty("textEn").GetString());
        Assert.Contains(replies, r => r.GetProperty("shortcut").GetString() == marker + "g" && r.GetProperty("id").GetGuid() != gone);
    }

    [Fact]
    public async Task Csv_WithBadRows_Is400ListingEachRow_AndStoresNoRowAtAll()
    {
        using var agent = await new Workspace(_server).PersonAsync();
        var marker = Unique("b");
        await CreateAsync(agent.Http, new { title = "Taken", shortcut = marker + "taken", textEn = "x" });
        var csv = "shortcut,title,text_zh,text_en,scope\r\n" +
                  $"{marker}ok,Good row,好的,,\r\n" +
                  $"{marker}v,Unknown variable,,Hi {{{{7*7}}}},\r\n" +
                  $"{marker}TAKEN,Taken shortcut,,x,\r\n" +
                  $"{marker}ok,Same shortcut as row 1,,y,\r\n" +
                  $"{marker}s,Shared without permission,,z,shared\r\n" +
                  $"{marker}e,No text,,,\r\n";

        var response = await agent.Http.PostAsync("/api/v1/canned-replies/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["row 2", "row 3", "row 4", "row 5", "row 6"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Contains("{{7*7}}", errors.GetProperty("row 2")[0].GetString());
        Assert.Contains("row 1", errors.GetProperty("row 4")[0].GetString());
        Assert.Equal(1, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
        var unclosed = await agent.Http.PostAsync("/api/v1/canned-replies/import", new StringContent("shortcut,title,text_en\r\na,\"never closed,x", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, unclosed.StatusCode);
        Assert.Equal(1, await _server.WithDbAsync(db => db.CannedReplies.CountAsync(r => r.OwnerId == agent.Id)));
    }

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private static async Task<JsonElement> CreateAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v1/canned-replies", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> UseAsync(HttpClient http, Guid id, Guid conversation)
    {
        var response = await http.PostAsJsonAsync($"/api/v1/canned-replies/{id}/use", new { conversationId = conversation });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<List<Guid>> IdsAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/v1/canned-replies")).EnumerateArray().Select(r => r.GetProperty("id").GetGuid())];

    private async Task<Guid> TeamWithAsync(Guid member)
    {
        var tenant = await new Workspace(_server).TenantIdAsync();
        var team = new Team { Id = Guid.CreateVersion7(), TenantId = tenant, Name = Unique("Team "), CreatedAt = DateTime.UtcNow };
        await _server.WithDbAsync(db =>
        {
            db.Teams.Add(team);
            db.TeamMembers.Add(new TeamMember { TeamId = team.Id, UserId = member });
            return db.SaveChangesAsync();
        });
        _server.Services.GetRequiredService<IAccessControl>().Invalidate(tenant);
        return team.Id;
    }
}
