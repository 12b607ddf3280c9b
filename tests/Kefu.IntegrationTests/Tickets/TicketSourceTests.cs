using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Surveys;
using Kefu.Server.Features.Tickets;
using Kefu.Server.Features.Tickets.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>Tickets made by the durable lane: from the widget's "leave a message" and from a survey answer at or below the inbox's threshold, each once.</summary>
public sealed class TicketSourceTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task LeavingAMessage_OpensOneTicketFromThatConversation_EvenWhenTheFormIsSentTwice()
    {
        var session = await _server.NewVisitorAsync();
        var body = new { clientMessageId = "offline-" + Guid.NewGuid().ToString("N")[..8], email = "lee@example.com", message = "Call me about order 77\nafter six." };

        Assert.Equal(HttpStatusCode.OK, (await OfflineAsync(session.Token, body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OfflineAsync(session.Token, body)).StatusCode);

        var conversation = await _server.WithDbAsync(db => db.Conversations.Where(c => c.ContactId == session.ContactId).Select(c => new { c.Id, c.InboxId }).SingleAsync());
        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.Set<Ticket>().AnyAsync(t => t.ConversationId == conversation.Id)), "a ticket from the left message");
        await new SurveyRig(_server).DrainAsync();
        var ticket = await _server.WithDbAsync(db => db.Set<Ticket>().SingleAsync(t => t.ConversationId == conversation.Id));
        Assert.Equal((TicketSource.OfflineMessage, "Call me about order 77", session.ContactId, conversation.InboxId),
            (ticket.Source, ticket.Subject, ticket.RequesterId!.Value, ticket.InboxId!.Value));
    }

    [Fact]
    public async Task ASurveyAnswerAtOrBelowTheInboxThreshold_OpensOneLinkedTicket_AndAHigherOneNone()
    {
        using var admin = await _server.AgentHttpAsync();
        var rig = new SurveyRig(_server);
        var (key, inboxId, templateId) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Tickets"));
        var bad = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/survey-rule", new { templateId, ticketAtOrBelow = 11 });
        Assert.Equal(("invalid_setting", "ticketAtOrBelow", HttpStatusCode.BadRequest), await ProblemAsync(bad));
        var set = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/survey-rule", new { templateId, ticketAtOrBelow = 2 });
        Assert.Equal(2, (await set.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("ticketAtOrBelow").GetInt32());

        var happy = await AnsweredAsync(admin, rig, key, 4);
        var unhappy = await AnsweredAsync(admin, rig, key, 1, thenChangeTo: 2);
        await rig.DrainAsync();

        var tickets = await _server.WithDbAsync(db => db.Set<Ticket>().Where(t => t.ConversationId == happy || t.ConversationId == unhappy).ToListAsync());
        var ticket = Assert.Single(tickets); // the happy answer opened none; the changed unhappy one only one
        Assert.Equal((unhappy, TicketSource.LowScore, inboxId), (ticket.ConversationId!.Value, ticket.Source, ticket.InboxId!.Value));
        var detail = await admin.TicketAsync(ticket.Id);
        Assert.Contains(detail.GetProperty("thread").EnumerateArray(), e => e.Str("kind") == "transcript" && e.Str("text") == "hello");
    }

    /// <summary>A visitor's conversation in the inbox of <paramref name="key"/>, resolved, its survey answered with <paramref name="score"/>.</summary>
    private async Task<Guid> AnsweredAsync(HttpClient admin, SurveyRig rig, string key, int score, int? thenChangeTo = null)
    {
        var (token, _, conversation) = await rig.VisitorAsync(key);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);
        using var visitor = SurveyRig.VisitorHttp(_server, token);
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { score } })).StatusCode);
        if (thenChangeTo is { } changed)
        {
            await rig.DrainAsync(); // the first answer's ticket exists before the change arrives
            Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { changed } })).StatusCode);
        }

        return conversation;
    }

    private async Task<HttpResponseMessage> OfflineAsync(string token, object body)
    {
        using var http = _server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widget/offline") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<(string Code, string? Field, HttpStatusCode Status)> ProblemAsync(HttpResponseMessage response) => await TicketApi.ProblemAsync(response);
}
