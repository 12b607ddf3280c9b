using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>
/// Followers: anyone who works a ticket follows or unfollows it; only an admin adds or removes others, and only agents
/// who can see it. Followers' bells get a line on a public reply, the customer's answer and a status change, never for
/// what they did themselves; another workspace's ticket is 404.
/// </summary>
public sealed class TicketFollowerTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Followers_FollowThemselves_AdminAddsOthersInScope_AndHearOfRepliesAnswersAndStatus()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin, "Ada Admin");
        using var ann = await ws.PersonAsync(name: "Ann");
        using var ben = await ws.PersonAsync(name: "Ben");
        using var limited = await ws.PersonAsync(name: "Lim");
        var (elsewhere, _) = await ws.InboxAsync("Elsewhere " + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.SetAccessAsync(limited.Id, "agent", elsewhere)).StatusCode);
        var (conversation, visitor) = await _server.ChatAsync("My parcel is lost");
        await using var _ = visitor;
        var ticket = await admin.Http.CreateTicketAsync(new { subject = "Lost parcel", conversationId = conversation });
        var id = ticket.Id();
        var number = ticket.GetProperty("number").GetInt64();

        // Ann follows herself; she may not add or remove anyone else, by the follower route or by PATCH.
        Assert.Contains(ann.Id, Followers(await OkAsync(ann.Http.PutAsync($"/api/v1/tickets/{id}/followers/{ann.Id}", null))));
        Assert.Contains(ann.Id, Followers(await OkAsync(ann.Http.PutAsync($"/api/v1/tickets/{id}/followers/{ann.Id}", null)))); // idempotent
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.Http.PutAsync($"/api/v1/tickets/{id}/followers/{ben.Id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.Http.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { followers = new[] { ann.Id, ben.Id } })).StatusCode);
        // The admin adds Ben; not Lim, who cannot see the ticket.
        Assert.Contains(ben.Id, Followers(await OkAsync(admin.Http.PutAsync($"/api/v1/tickets/{id}/followers/{ben.Id}", null))));
        var (code, field, status) = await TicketApi.ProblemAsync(await admin.Http.PutAsync($"/api/v1/tickets/{id}/followers/{limited.Id}", null));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_ticket", "followers"), (status, code, field));

        // A public reply: both followers hear of it, named by its author; an internal note is nobody's news.
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{id}/entries", new { text = "We are looking", @internal = true })).EnsureSuccessStatusCode();
        Assert.Empty(await LinesAsync(ann.Http, id));
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{id}/entries", new { text = "We are on it" })).EnsureSuccessStatusCode();
        // (The first public reply also opens the ticket: that status change is a line of its own.)
        var annReply = Assert.Single(await LinesAsync(ann.Http, id), l => l.Str("kind") == "ticketReply");
        Assert.Equal(("ticketReply", "Ada Admin", number, "Lost parcel"), (annReply.Str("kind"), annReply.Str("actorName"), annReply.GetProperty("ticket").GetProperty("number").GetInt64(), annReply.GetProperty("ticket").Str("subject")));
        Assert.Single(await LinesAsync(ben.Http, id), l => l.Str("kind") == "ticketReply");
        Assert.Contains(await LinesAsync(ann.Http, id), l => l.Str("kind") == "ticketStatus");

        // The customer answers in the chat (the durable lane takes it to the ticket).
        Assert.True((await visitor.SayAsync(conversation, "Any news?")).Ok);
        await Wait.UntilAsync(async () => (await LinesAsync(ann.Http, id)).Any(l => l.Str("kind") == "ticketCustomerReply"), "the customer's answer on Ann's bell");

        // A status change by Ben: Ann hears of it, Ben (who did it) does not.
        var (annStatus, benStatus) = (await StatusCountAsync(ann.Http, id), await StatusCountAsync(ben.Http, id));
        (await ben.Http.PatchAsJsonAsync($"/api/v1/tickets/{id}", new { status = "pending" })).EnsureSuccessStatusCode();
        Assert.Equal(annStatus + 1, await StatusCountAsync(ann.Http, id));
        Assert.Equal(benStatus, await StatusCountAsync(ben.Http, id));

        // Ann unfollows: the next reply raises Ben's line again, not hers.
        Assert.DoesNotContain(ann.Id, Followers(await OkAsync(ann.Http.DeleteAsync($"/api/v1/tickets/{id}/followers/{ann.Id}"))));
        (await admin.Http.PostAsJsonAsync($"/api/v1/tickets/{id}/entries", new { text = "Found it" })).EnsureSuccessStatusCode();
        Assert.Equal(1, (await LinesAsync(ann.Http, id)).Single(l => l.Str("kind") == "ticketReply").GetProperty("count").GetInt32());
        Assert.Equal(2, (await LinesAsync(ben.Http, id)).Single(l => l.Str("kind") == "ticketReply").GetProperty("count").GetInt32());

        // Another workspace's agent finds no such ticket.
        var (_, email) = await _server.CreateOtherTenantAsync();
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(email, KefuFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsync($"/api/v1/tickets/{id}/followers/{admin.Id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.Http.PutAsync($"/api/v1/tickets/{id}/followers/{limited.Id}", null)).StatusCode);
    }

    private static async Task<JsonElement> OkAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<int> StatusCountAsync(HttpClient http, Guid ticketId) =>
        (await LinesAsync(http, ticketId)).Where(l => l.Str("kind") == "ticketStatus").Sum(l => l.GetProperty("count").GetInt32());

    private static List<Guid> Followers(JsonElement ticket) => [.. ticket.GetProperty("followers").EnumerateArray().Select(f => f.GetGuid())];

    private static async Task<List<JsonElement>> LinesAsync(HttpClient http, Guid ticketId) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/v1/notifications?limit=100")).GetProperty("items").EnumerateArray()
            .Where(l => l.TryGetProperty("ticketId", out var t) && t.ValueKind == JsonValueKind.String && t.GetGuid() == ticketId)];
}
