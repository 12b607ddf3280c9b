using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Surveys;

/// <summary>Builders for survey tests: a template and an inbox rule through the API, visitors with a conversation, surveys waited for in the database.</summary>
internal sealed class SurveyRig(KefuFactory server)
{
    public static readonly object[] OneCsatQuestion = [new { en = "How did we do?", zh = "您对本次服务满意吗？" }];

    /// <summary>A new inbox with a CSAT template and a rule; returns the inbox's widget key and the template id.</summary>
    public async Task<(string Key, Guid InboxId, Guid TemplateId)> InboxWithSurveyAsync(HttpClient admin, object template, string trigger = "resolve", int quietDays = 0, int? silenceMinutes = null)
    {
        var (inboxId, key) = await new Workspace(server).InboxAsync("Surveyed " + Guid.NewGuid().ToString("N")[..6]);
        var created = await admin.PostAsJsonAsync("/api/v1/survey-templates", template);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var templateId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var rule = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/survey-rule", new { templateId, trigger, quietDays, silenceMinutes });
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
        return (key, inboxId, templateId);
    }

    public static object Csat(string name, int? threshold = null, string? tag = null, bool reopen = false, bool comment = false, int window = 60) =>
        new { name = name + " " + Guid.NewGuid().ToString("N")[..6], kind = "csat", style = "stars", questions = OneCsatQuestion, askComment = comment, lowScoreThreshold = threshold, lowScoreTag = tag, reopenOnLowScore = reopen, changeWindowMinutes = window };

    /// <summary>A visitor who wrote once in the inbox of <paramref name="key"/>: their token, contact and conversation.</summary>
    public async Task<(string Token, Guid ContactId, Guid ConversationId)> VisitorAsync(string key, string? token = null)
    {
        var session = await server.NewVisitorAsync(key, token);
        await using var hub = await server.ConnectVisitorAsync(session.Token);
        var ack = await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), "hello", null));
        Assert.True(ack.Ok);
        return (session.Token, session.ContactId, ack.Value!.ConversationId);
    }

    /// <summary>The survey the conversation got, waited for (the resolve trigger runs on the durable lane).</summary>
    public Task<Guid> SurveyOfAsync(Guid conversationId) => SurveysOfAsync(conversationId, 1);

    public async Task<Guid> SurveysOfAsync(Guid conversationId, int count)
    {
        await Wait.UntilAsync(async () => await server.WithDbAsync(db => db.SurveyResponses.CountAsync(r => r.ConversationId == conversationId)) >= count, "the survey to be sent");
        var survey = await server.WithDbAsync(db => db.SurveyResponses.Where(r => r.ConversationId == conversationId).OrderByDescending(r => r.SentAt).Select(r => r.Id).FirstAsync());

        // The sender commits the response row, then writes its message through the message writer: a second commit.
        var clientId = Kefu.Server.Features.Surveys.SurveySender.ClientIdPrefix + survey.ToString("N");
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ConversationId == conversationId && m.ClientMessageId == clientId)), "the survey's message to be written");
        return survey;
    }

    /// <summary>Waits until every outbox row so far is handled: after it, a consumer that would have acted has acted.</summary>
    public async Task DrainAsync()
    {
        var last = await server.WithDbAsync(db => db.Outbox.MaxAsync(o => o.Id));
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Outbox.Where(o => o.Id <= last).AllAsync(o => o.ProcessedAt != null)), "the durable lane to drain");
    }

    public static HttpClient VisitorHttp(KefuFactory server, string token)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public Task<int> AnsweredEventsAsync(Guid conversationId) =>
        server.WithDbAsync(db => db.Outbox.CountAsync(o => o.SubjectId == conversationId && o.Type == SurveyAnswered.Name));
}
