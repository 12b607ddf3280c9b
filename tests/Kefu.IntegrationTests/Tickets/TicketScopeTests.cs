using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>
/// Tickets follow the agent's scope (ADR 0008): an agent limited to inboxes, or to their own work, finds no other ticket
/// anywhere (list, views, detail, change, bulk, reply, merge, link) and a public reply into a ticket's chat needs the
/// right to act in that conversation.
/// </summary>
public sealed class TicketScopeTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AnAgentLimitedToOneInbox_FindsNoTicketOfAnother_AndChangesNothingThere()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        var (otherInbox, otherKey) = await ws.InboxAsync("Wholesale " + Guid.NewGuid().ToString("N")[..6]);
        var visible = await admin.Http.CreateTicketAsync(new { subject = "Visible", conversationId = await ws.ConversationAsync() });
        var hidden = await admin.Http.CreateTicketAsync(new { subject = "Hidden", conversationId = await ws.ConversationAsync(otherKey), priority = "urgent" });
        var noInbox = await admin.Http.CreateTicketAsync(new { subject = "No inbox" });
        Assert.Equal(otherInbox, hidden.GetProperty("inboxId").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(agent.Id, "agent", await ws.DemoInboxIdAsync())).StatusCode);

        foreach (var view in new[] { "all", "unassigned", "breachingSoon" })
        {
            var ids = await ListAsync(agent.Http, $"view={view}&pageSize=100");
            Assert.DoesNotContain(hidden.Id(), ids);
            Assert.DoesNotContain(noInbox.Id(), ids);
        }

        Assert.Contains(visible.Id(), await ListAsync(agent.Http, "pageSize=100"));
        Assert.Empty(await ListAsync(agent.Http, $"number={hidden.GetProperty("number").GetInt64()}"));
        var h = hidden.Id();
        foreach (var (request, field) in new (Func<Task<HttpResponseMessage>>, string?)[]
                 {
                     (() => agent.Http.GetAsync($"/api/v1/tickets/{h}"), null),
                     (() => agent.Http.PatchAsJsonAsync($"/api/v1/tickets/{h}", new { status = "open" }), null),
                     (() => agent.Http.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = new[] { visible.Id(), h }, change = new { priority = "low" } }), null),
                     (() => agent.Http.PostAsJsonAsync($"/api/v1/tickets/{h}/entries", new { text = "peek", @internal = true }), null),
                     (() => agent.Http.PostAsJsonAsync($"/api/v1/tickets/{h}/merge", new { targetId = visible.Id() }), null),
                     (() => agent.Http.PostAsJsonAsync($"/api/v1/tickets/{visible.Id()}/merge", new { targetId = h }), "targetId"),
                     (() => agent.Http.PostAsJsonAsync($"/api/v1/tickets/{visible.Id()}/related", new { relatedId = h }), "relatedId"),
                     (() => agent.Http.PostAsJsonAsync($"/api/v1/tickets/{noInbox.Id()}/entries", new { text = "peek" }), null),
                 })
        {
            var (code, problemField, status) = await TicketApi.ProblemAsync(await request());
            Assert.Equal((HttpStatusCode.NotFound, "ticket_not_found", field), (status, code, problemField));
        }

        var bad = await agent.Http.PostAsJsonAsync("/api/v1/tickets", new { subject = "Elsewhere", inboxId = otherInbox });
        Assert.Equal(("invalid_ticket", "inboxId", HttpStatusCode.BadRequest), await TicketApi.ProblemAsync(bad));

        // Nothing moved: the hidden ticket, the visible one the bulk change named, and no stray thread lines.
        var after = await _server.WithDbAsync(db => db.Set<Ticket>().AsNoTracking().Where(t => t.Id == h || t.Id == visible.Id()).ToListAsync());
        Assert.All(after, t => Assert.Null(t.MergedIntoId));
        Assert.Equal(("new", "urgent"), Fields(await admin.Http.TicketAsync(h)));
        Assert.Equal("normal", (await admin.Http.TicketAsync(visible.Id())).GetProperty("ticket").Str("priority"));
        Assert.Empty(after.Single(t => t.Id == h).Related);
        Assert.False(await _server.WithDbAsync(db => db.Set<TicketEntry>().AnyAsync(e => (e.TicketId == h || e.TicketId == noInbox.Id()) && e.AuthorId == agent.Id)));
        Assert.Equal(HttpStatusCode.OK, (await agent.Http.GetAsync($"/api/v1/tickets/{visible.Id()}")).StatusCode);
        var own = await agent.Http.CreateTicketAsync(new { subject = "Mine", inboxId = await ws.DemoInboxIdAsync() });
        Assert.Contains(own.Id(), await ListAsync(agent.Http, "pageSize=100"));
    }

    [Fact]
    public async Task AMergeIntoAVisibleTicket_DoesNotShowTheMergedTicketsLines_OrLinks_ToAReaderWhoCannotSeeIt()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        var (_, otherKey) = await ws.InboxAsync("Wholesale " + Guid.NewGuid().ToString("N")[..6]);
        var survivor = await admin.Http.CreateTicketAsync(new { subject = "Visible", conversationId = await ws.ConversationAsync(text: "Visible chat line") });
        var hidden = await admin.Http.CreateTicketAsync(new { subject = "Hidden", conversationId = await ws.ConversationAsync(otherKey, text: "Wholesale secret line") });
        var related = await admin.Http.CreateTicketAsync(new { subject = "Hidden too", conversationId = await ws.ConversationAsync(otherKey) });
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{hidden.Id()}/entries", new { text = "Wholesale note", @internal = true })).EnsureSuccessStatusCode();
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{survivor.Id()}/related", new { relatedId = related.Id() })).EnsureSuccessStatusCode();
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{hidden.Id()}/merge", new { targetId = survivor.Id() })).EnsureSuccessStatusCode();
        await admin.Http.SetAccessAsync(agent.Id, "agent", await ws.DemoInboxIdAsync());

        var seenByAdmin = await admin.Http.TicketAsync(survivor.Id());
        var seenByAgent = await agent.Http.TicketAsync(survivor.Id());

        Assert.Contains(Texts(seenByAdmin), t => t.Contains("Wholesale", StringComparison.Ordinal)); // the merge kept the thread
        Assert.Equal([related.Id()], seenByAdmin.GetProperty("ticket").GetProperty("related").EnumerateArray().Select(r => r.GetGuid()));
        Assert.DoesNotContain(Texts(seenByAgent), t => t.Contains("Wholesale", StringComparison.Ordinal));
        Assert.DoesNotContain(seenByAgent.GetProperty("thread").EnumerateArray(), e => e.GetProperty("ticketId").GetGuid() == hidden.Id());
        Assert.Contains(Texts(seenByAgent), t => t.Contains("Visible chat line", StringComparison.Ordinal));
        Assert.Empty(seenByAgent.GetProperty("ticket").GetProperty("related").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.GetAsync($"/api/v1/tickets/{hidden.Id()}")).StatusCode);
    }

    private static List<string> Texts(JsonElement detail) => [.. detail.GetProperty("thread").EnumerateArray().Select(e => e.Str("text"))];

    [Fact]
    public async Task AnAssignedOnlyRole_SeesOnlyItsOwnTickets_AndAReplyIntoAChatNeedsTheRightToActThere()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync();
        using var colleague = await ws.PersonAsync();
        var role = await admin.Http.CreateRoleAsync("Own tickets " + Guid.NewGuid().ToString("N")[..6], "conversationsAssigned", "tickets");
        await admin.Http.SetAccessAsync(agent.Id, role);
        // A ticket the agent holds, made from a chat a colleague holds: the ticket is theirs, the chat is not.
        var colleaguesChat = await ws.ConversationAsync(assignee: colleague.Id, text: "Where is my order?");
        var mine = await admin.Http.CreateTicketAsync(new { subject = "Mine", assigneeId = agent.Id, conversationId = colleaguesChat });
        var theirs = await admin.Http.CreateTicketAsync(new { subject = "Theirs", assigneeId = colleague.Id });
        var nobodys = await admin.Http.CreateTicketAsync(new { subject = "Nobody's" });

        var ids = await ListAsync(agent.Http, "pageSize=100");
        Assert.Contains(mine.Id(), ids);
        Assert.DoesNotContain(theirs.Id(), ids);
        Assert.DoesNotContain(nobodys.Id(), ids);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.GetAsync($"/api/v1/tickets/{theirs.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.PatchAsJsonAsync($"/api/v1/tickets/{nobodys.Id()}", new { assigneeId = agent.Id })).StatusCode);

        var reply = await agent.Http.PostAsJsonAsync($"/api/v1/tickets/{mine.Id()}/entries", new { text = "Sent from the ticket" });
        var note = await agent.Http.PostAsJsonAsync($"/api/v1/tickets/{mine.Id()}/entries", new { text = "A note stays on the ticket", @internal = true });

        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode); // the chat is out of their scope: it does not exist for them
        Assert.Equal("conversation_not_found", (await TicketApi.ProblemAsync(reply)).Code);
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ConversationId == colleaguesChat && m.Text == "Sent from the ticket")));
        var thread = (await agent.Http.TicketAsync(mine.Id())).GetProperty("thread").EnumerateArray().Select(e => e.Str("text")).ToList();
        Assert.DoesNotContain("Sent from the ticket", thread);
        Assert.Equal("new", (await agent.Http.TicketAsync(mine.Id())).GetProperty("ticket").Str("status"));
    }

    private static async Task<List<Guid>> ListAsync(HttpClient http, string query)
    {
        var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/tickets?" + query);
        return [.. page.GetProperty("items").EnumerateArray().Select(t => t.Id())];
    }

    private static (string, string) Fields(JsonElement detail) => (detail.GetProperty("ticket").Str("status"), detail.GetProperty("ticket").Str("priority"));
}
