using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Tickets;

/// <summary><c>/api/v1/tickets</c>: numbering, creation from a chat, replies through the message path, views, merge, links and every bad input storing nothing.</summary>
public sealed class TicketApiTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task ConcurrentCreations_GetDistinctConsecutiveNumbers()
    {
        var (_, email) = await _server.CreateOtherTenantAsync(); // a fresh workspace: its numbers start at 1
        using var http = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email, KefuFactory.AdminPassword));

        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => http.CreateTicketAsync(new { subject = $"Parallel {i}" })));

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), created.Select(t => t.GetProperty("number").GetInt64()).Order());
        Assert.All(created, t => Assert.Equal("new", t.Str("status")));
    }

    [Fact]
    public async Task TicketFromAChat_KeepsTheLinkAndTranscript_AndAPublicReplyReachesTheChat()
    {
        var (conversation, visitor) = await _server.ChatAsync("My parcel never arrived");
        await using var _ = visitor;
        using var agent = await new Workspace(_server).PersonAsync();

        var ticket = await agent.Http.CreateTicketAsync(new { subject = "Lost parcel", conversationId = conversation, priority = "high" });
        var reply = await agent.Http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/entries", new { text = "We are sending a new one." });
        var note = await agent.Http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/entries", new { text = "Courier claim filed", @internal = true });
        var detail = await agent.Http.TicketAsync(ticket.Id());

        Assert.Equal(conversation, ticket.GetProperty("conversationId").GetGuid());
        Assert.Equal("conversation", ticket.Str("source"));
        Assert.Equal(await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => c.ContactId).SingleAsync()),
            ticket.GetProperty("requesterId").GetGuid());
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        var thread = detail.GetProperty("thread").EnumerateArray().Select(e => (e.Str("kind"), e.Str("text"))).ToList();
        Assert.Equal([("transcript", "My parcel never arrived"), ("reply", "We are sending a new one."), ("note", "Courier claim filed")], thread);
        Assert.Equal("open", detail.GetProperty("ticket").Str("status")); // a public reply opens a new ticket
        var messages = await _server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == conversation).OrderBy(m => m.Seq).Select(m => new { m.Text, m.SenderType }).ToListAsync());
        Assert.Equal(2, messages.Count); // the note never reaches the chat
        Assert.Equal(("We are sending a new one.", SenderType.Agent), (messages[1].Text, messages[1].SenderType));
    }

    [Fact]
    public async Task CustomerAnswerInTheChat_WakesAPendingTicket_AndAfterCloseOpensALinkedFollowUp()
    {
        var (conversation, visitor) = await _server.ChatAsync("Refund please");
        await using var _ = visitor;
        using var http = await _server.AgentHttpAsync();
        var ticket = await http.CreateTicketAsync(new { subject = "Refund", conversationId = conversation });
        (await http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/entries", new { text = "Which order?", status = "pending" })).EnsureSuccessStatusCode();

        await visitor.SayAsync(conversation, "Order 1234");
        await Wait.UntilAsync(async () => (await http.TicketAsync(ticket.Id())).GetProperty("ticket").Str("status") == "open", "the pending ticket woke up");
        var woke = await http.TicketAsync(ticket.Id());
        Assert.Contains(woke.GetProperty("thread").EnumerateArray(), e => e.Str("kind") == "customer" && e.Str("text") == "Order 1234");

        (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "solved" })).EnsureSuccessStatusCode();
        (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "closed" })).EnsureSuccessStatusCode();
        await visitor.SayAsync(conversation, "It broke again");
        Guid followUp = default;
        await Wait.UntilAsync(async () => (followUp = await _server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.FollowUpOfId == ticket.Id()).Select(t => t.Id).FirstOrDefaultAsync())) != default,
            "a follow-up of the closed ticket");

        var closed = await http.TicketAsync(ticket.Id());
        var next = await http.TicketAsync(followUp);
        Assert.Equal("closed", closed.GetProperty("ticket").Str("status"));
        Assert.DoesNotContain(closed.GetProperty("thread").EnumerateArray(), e => e.Str("text") == "It broke again");
        Assert.Equal("followUp", next.GetProperty("ticket").Str("source"));
        Assert.Equal("It broke again", Assert.Single(next.GetProperty("thread").EnumerateArray()).Str("text"));
    }

    [Fact]
    public async Task Merge_PointsTheMergedAtTheSurvivor_KeepsBothThreads_AndRefusesMoreWork()
    {
        using var http = await _server.AgentHttpAsync();
        var keep = await http.CreateTicketAsync(new { subject = "Keep", description = "first", tags = new[] { "a" } });
        var gone = await http.CreateTicketAsync(new { subject = "Duplicate", description = "second", tags = new[] { "b" } });

        var merged = await http.PostAsJsonAsync($"/api/v1/tickets/{gone.Id()}/merge", new { targetId = keep.Id() });
        var survivor = await http.TicketAsync(keep.Id());
        var old = await http.TicketAsync(gone.Id());
        var again = await http.PostAsJsonAsync($"/api/v1/tickets/{gone.Id()}/entries", new { text = "more" });

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(keep.Id(), old.GetProperty("ticket").GetProperty("mergedIntoId").GetGuid());
        Assert.Equal("closed", old.GetProperty("ticket").Str("status"));
        var texts = survivor.GetProperty("thread").EnumerateArray().Select(e => e.Str("text")).ToList();
        Assert.Contains("first", texts);
        Assert.Contains("second", texts);
        Assert.Equal(["a", "b"], survivor.GetProperty("ticket").GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal("ticket_merged", (await TicketApi.ProblemAsync(again)).Code);
        Assert.Equal(1, await _server.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.TargetId == gone.Id().ToString() && a.Detail!.StartsWith("ticket.merged"))));
        var list = await http.GetFromJsonAsync<JsonElement>("/api/v1/tickets?pageSize=100");
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), t => t.Id() == gone.Id());
    }

    [Fact]
    public async Task BadInput_GetsAClearProblem_AndChangesNothing()
    {
        using var http = await _server.AgentHttpAsync();
        var ticket = await http.CreateTicketAsync(new { subject = "Bad input" });
        var other = await http.CreateTicketAsync(new { subject = "Other" });
        var (_, foreignEmail) = await _server.CreateOtherTenantAsync();
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(foreignEmail, KefuFactory.AdminPassword));
        var foreignTicket = await foreign.CreateTicketAsync(new { subject = "Theirs" });
        var before = await _server.WithDbAsync(db => db.Set<Ticket>().AsNoTracking().SingleAsync(t => t.Id == ticket.Id()));

        var cases = new (HttpResponseMessage Response, string Code, string? Field)[]
        {
            (await http.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "closed" }), "ticket_transition_not_allowed", "status"),
            (await http.PatchAsync($"/api/v1/tickets/{ticket.Id()}", JsonContent.Create(new { status = 42 })), "invalid_ticket", "status"),
            (await http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/merge", new { targetId = ticket.Id() }), "ticket_merge_into_itself", "targetId"),
            (await http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/merge", new { targetId = foreignTicket.Id() }), "ticket_not_found", "targetId"),
            (await foreign.PostAsJsonAsync($"/api/v1/tickets/{foreignTicket.Id()}/merge", new { targetId = ticket.Id() }), "ticket_not_found", "targetId"),
            (await http.PostAsJsonAsync($"/api/v1/tickets/{ticket.Id()}/related", new { relatedId = foreignTicket.Id() }), "ticket_not_found", "relatedId"),
            (await http.PostAsJsonAsync("/api/v1/tickets", new { subject = "  " }), "invalid_ticket", "subject"),
            (await http.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", tags = new[] { "two words" } }), "invalid_ticket", "tags"),
            (await http.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", requesterId = Guid.NewGuid() }), "invalid_ticket", "requesterId"),
            (await http.PostAsJsonAsync("/api/v1/tickets", new { subject = "x", assigneeId = Guid.NewGuid() }), "invalid_ticket", "assigneeId"),
            (await http.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = new[] { ticket.Id(), foreignTicket.Id() }, change = new { status = "open" } }), "ticket_not_found", null),
            (await http.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = new[] { ticket.Id(), other.Id() }, change = new { status = "open", tags = new[] { "bulk" } } }), "", null),
            (await http.PostAsJsonAsync("/api/v1/tickets/bulk", new { ids = new[] { ticket.Id(), other.Id() }, change = new { status = "new" } }), "ticket_transition_not_allowed", "status"),
            (await http.PutAsJsonAsync("/api/v1/tickets/sla-policies", new { priority = "high", firstReplyMinutes = 0, warnBeforeMinutes = 10 }), "invalid_sla_policy", "firstReplyMinutes"),
            (await http.PutAsJsonAsync("/api/v1/tickets/sla-policies", new { priority = "high", resolutionMinutes = 60, businessHours = "someday 9-5" }), "invalid_sla_policy", "businessHours"),
            (await http.PutAsJsonAsync("/api/v1/tickets/sla-policies", new { priority = "high", resolutionMinutes = 60, timeZone = "Mars/Olympus" }), "invalid_sla_policy", "timeZone"),
            (await http.GetAsync("/api/v1/tickets?pageSize=101"), "invalid_page_size", "pageSize"),
            (await http.GetAsync("/api/v1/tickets?view=everything"), "invalid_ticket", "view"),
        };

        foreach (var (response, code, field) in cases.Where(c => c.Code.Length > 0))
        {
            var problem = await TicketApi.ProblemAsync(response);
            Assert.True((code, field) == (problem.Code, problem.Field), $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {problem}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/tickets/{ticket.Id()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PatchAsJsonAsync($"/api/v1/tickets/{ticket.Id()}", new { status = "open" })).StatusCode);
        var after = await _server.WithDbAsync(db => db.Set<Ticket>().AsNoTracking().SingleAsync(t => t.Id == ticket.Id()));
        var theirs = await _server.WithDbAsync(db => db.Set<Ticket>().AsNoTracking().SingleAsync(t => t.Id == foreignTicket.Id()));
        // Only the one valid bulk change above moved it (new → open, tag added); the refused ones changed nothing.
        Assert.Equal((TicketStatus.Open, "bulk", (Guid?)null), (after.Status, after.Tags, after.MergedIntoId));
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal((TicketStatus.New, (Guid?)null, ""), (theirs.Status, theirs.MergedIntoId, theirs.Related));
        Assert.Equal(0, await _server.WithDbAsync(db => db.Set<SlaPolicy>().CountAsync(p => p.Priority == TicketPriority.High)));
    }

    [Fact]
    public async Task Views_FilterAndPageWithACursor_WithoutRepeatsOrGaps()
    {
        var ws = new Workspace(_server);
        using var me = await ws.PersonAsync(name: "Viewer");
        var tag = "v" + Guid.NewGuid().ToString("N")[..8];
        var mine = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            mine.Add((await me.Http.CreateTicketAsync(new { subject = $"Mine {i}", assigneeId = me.Id, tags = new[] { tag } })).Id());
        }

        var unassigned = (await me.Http.CreateTicketAsync(new { subject = "Nobody's", tags = new[] { tag } })).Id();
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await me.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?view=mine&tag={tag}&pageSize=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(t => t.Id()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        var nobody = await me.Http.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?view=unassigned&tag={tag}");

        Assert.Equal(Enumerable.Reverse(mine), seen);
        Assert.Equal(unassigned, Assert.Single(nobody.GetProperty("items").EnumerateArray()).Id());
    }

    [Fact]
    public async Task RoleWithoutTicketPermission_IsRefused_EvenThroughTheHandler()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var chatOnly = await ws.PersonAsync();
        await admin.Http.SetAccessAsync(chatOnly.Id, await admin.Http.CreateRoleAsync("Chat only " + Guid.NewGuid().ToString("N")[..6], "conversationsAll"));

        Assert.Equal(HttpStatusCode.Forbidden, (await chatOnly.Http.PostAsJsonAsync("/api/v1/tickets", new { subject = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await chatOnly.Http.GetAsync("/api/v1/tickets")).StatusCode);
    }
}
