using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Surveys;

/// <summary>Surveys through the real paths: settings over REST, the resolve trigger on the durable lane, the visitor's answer with the widget's token.</summary>
public sealed class SurveyTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Resolve_PostsTheSurveyInTheConversation_AndNotAgainToAContactSurveyedWithinTheQuietDays()
    {
        using var admin = await _server.AgentHttpAsync();
        var rig = new SurveyRig(_server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Resolve"), quietDays: 30);
        var (token, _, conversation) = await rig.VisitorAsync(key);

        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);

        // The visitor sees it as a system message carrying the survey, and reads the survey with their own token.
        await using (var hub = await _server.ConnectVisitorAsync(token))
        {
            var page = await hub.InvokeAsync<HubResult<JsonElement>>("GetMessages", conversation, 0L, 50);
            var last = page.Value.GetProperty("messages").EnumerateArray().Last();
            Assert.Equal("system", last.GetProperty("sender").GetString());
            var action = Assert.Single(last.GetProperty("actions").EnumerateArray());
            Assert.Equal((MessageAction.Survey, survey.ToString()), (action.GetProperty("kind").GetString(), action.GetProperty("id").GetString()));
        }

        using var visitor = SurveyRig.VisitorHttp(_server, token);
        var read = await visitor.GetFromJsonAsync<JsonElement>($"/api/v1/widget/surveys/{survey}");
        Assert.Equal(("csat", 1, 5, true), (read.GetProperty("kind").GetString(), read.GetProperty("min").GetInt32(), read.GetProperty("max").GetInt32(), read.GetProperty("canAnswer").GetBoolean()));

        // Reopened by writing again, resolved again: within 30 quiet days the contact is not asked a second time.
        var (_, _, again) = await rig.VisitorAsync(key, token);
        Assert.Equal(conversation, again);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        await rig.DrainAsync();
        Assert.Equal(1, await _server.WithDbAsync(db => db.SurveyResponses.CountAsync(r => r.ContactId == db.Conversations.Where(c => c.Id == conversation).Select(c => c.ContactId).First())));

        // An agent asking by hand is told why not.
        var manual = await admin.PostAsync($"/api/v1/conversations/{conversation}/surveys", null);
        Assert.Equal(HttpStatusCode.Conflict, manual.StatusCode);
        Assert.Equal("survey_recently_sent", (await manual.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ManualRule_SendsOnlyWhenAnAgentAsks_AndAnotherWorkspacesAgentGets404()
    {
        using var admin = await _server.AgentHttpAsync();
        var rig = new SurveyRig(_server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Manual"), trigger: "manual");
        var (_, _, conversation) = await rig.VisitorAsync(key);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        await rig.DrainAsync();
        Assert.Equal(0, await _server.WithDbAsync(db => db.SurveyResponses.CountAsync(r => r.ConversationId == conversation)));

        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PostAsync($"/api/v1/conversations/{conversation}/surveys", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/conversations/{conversation}/surveys")).StatusCode);

        var sent = await admin.PostAsync($"/api/v1/conversations/{conversation}/surveys", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/conversations/{conversation}/surveys");
        Assert.Equal("manual", Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task Answer_WithBadInput_OrForSomeoneElsesConversation_IsRefused_AndStoresNothing()
    {
        using var admin = await _server.AgentHttpAsync();
        var rig = new SurveyRig(_server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Bad input"));
        var (token, _, conversation) = await rig.VisitorAsync(key);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);
        var (strangerToken, _, _) = await rig.VisitorAsync(key);
        var (otherKey, _) = await _server.CreateOtherTenantAsync();
        var (foreignToken, _, _) = await rig.VisitorAsync(otherKey);

        using var visitor = SurveyRig.VisitorHttp(_server, token);
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { scores = new[] { 6 } }, "scores"), (new { scores = new[] { 0 } }, "scores"), (new { scores = Array.Empty<int>() }, "scores"),
                     (new { scores = new[] { 4, 4 } }, "scores"), (new { scores = (int[]?)null }, "scores"), (new { scores = new[] { 4 }, comment = "not asked for" }, "comment"),
                 })
        {
            var refused = await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("invalid_survey_answer", field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        }

        foreach (var other in new[] { strangerToken, foreignToken })
        {
            using var stranger = SurveyRig.VisitorHttp(_server, other);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/widget/surveys/{survey}")).StatusCode);
        }

        using var anonymous = _server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } })).StatusCode);
        Assert.False((await admin.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } })).IsSuccessStatusCode); // an agent is no visitor

        var stored = await _server.WithDbAsync(db => db.SurveyResponses.SingleAsync(r => r.Id == survey));
        Assert.Equal((null, null, null), (stored.Score, stored.AnsweredAt, stored.Comment));
        Assert.Equal(0, await rig.AnsweredEventsAsync(conversation));
    }

    [Fact]
    public async Task Answer_CanBeChangedWithinTheWindow_ThenIs409_AndEachAnswerRecordsSurveyAnswered()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var admin = await server.AgentHttpAsync();
        var rig = new SurveyRig(server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Window", comment: true, window: 30));
        var (token, _, conversation) = await rig.VisitorAsync(key);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);
        using var visitor = SurveyRig.VisitorHttp(server, token);

        var first = await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 5 }, comment = "<b>great</b> {{agent}}" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        clock.Advance(TimeSpan.FromMinutes(29));
        var changed = await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 4 } });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("survey_closed", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var stored = await server.WithDbAsync(db => db.SurveyResponses.SingleAsync(r => r.Id == survey));
        Assert.Equal((4, (string?)null), (stored.Score, stored.Comment));
        Assert.Equal(2, await rig.AnsweredEventsAsync(conversation));
        var events = await server.WithDbAsync(db => db.Outbox.Where(o => o.SubjectId == conversation && o.Type == SurveyAnswered.Name).OrderBy(o => o.Id).Select(o => o.Payload).ToListAsync());
        var answered = (SurveyAnswered)ConversationEventCatalogue.Read(SurveyAnswered.Name, events[^1]);
        Assert.Equal((survey, "csat", 4), (answered.ResponseId, answered.Kind, answered.Score));
        var read = await visitor.GetFromJsonAsync<JsonElement>($"/api/v1/widget/surveys/{survey}");
        Assert.False(read.GetProperty("canAnswer").GetBoolean());
    }

    [Fact]
    public async Task LowScore_RingsTheSupervisorsBell_TagsTheContact_ReopensTheConversation_AndKeepsTheAgentsWhoHandledIt()
    {
        using var admin = await _server.AgentHttpAsync();
        var ws = new Workspace(_server);
        using var supervisor = await ws.PersonAsync(AgentRole.Supervisor, "Lead Lin");
        using var agent = await ws.PersonAsync(AgentRole.Agent, "Agent Ada");
        var rig = new SurveyRig(_server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Recovery", threshold: 2, tag: "unhappy", reopen: true));
        var (token, contact, conversation) = await rig.VisitorAsync(key);
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, agent.Id).SetProperty(c => c.Handler, ConversationHandler.Agent)));
        await using (var hub = await _server.ConnectAgentAsync(agent.Token))
        {
            Assert.True((await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("a-" + Guid.NewGuid().ToString("N"), "Sorry about that", null))).Ok);
        }

        (await agent.Http.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);
        using var visitor = SurveyRig.VisitorHttp(_server, token);
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } })).StatusCode);

        var bell = await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        var line = Assert.Single(bell.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "lowScore");
        Assert.Equal(conversation, line.GetProperty("conversationId").GetGuid());
        var agentBell = await agent.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        Assert.DoesNotContain(agentBell.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "lowScore");
        Assert.Contains("unhappy", await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact).Select(c => c.Tags).SingleAsync()));
        Assert.Equal(ConversationStatus.Open, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => c.Status).SingleAsync()));
        var stored = await _server.WithDbAsync(db => db.SurveyResponses.SingleAsync(r => r.Id == survey));
        Assert.True(stored.LowScore);
        Assert.Equal(agent.Id.ToString("D"), stored.AgentIds);

        // A second low answer within the window changes the score but does not alert or tag again.
        Assert.Equal(HttpStatusCode.OK, (await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 2 } })).StatusCode);
        Assert.Equal(1, (await supervisor.Http.GetFromJsonAsync<JsonElement>("/api/v1/notifications")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("kind").GetString() == "lowScore").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Settings_WithBadInput_AreRefusedByField_AndStoreNothing_AndAnotherWorkspacesObjectsAre404()
    {
        using var admin = await _server.AgentHttpAsync();
        var before = await _server.WithDbAsync(db => db.SurveyTemplates.CountAsync());
        var q = SurveyRig.OneCsatQuestion;
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { name = "", kind = "csat", questions = q }, "name"),
                     (new { name = "X", kind = "smiley", questions = q }, "kind"),
                     (new { name = "X", kind = "csat", style = "hearts", questions = q }, "style"),
                     (new { name = "X", kind = "csat", questions = Array.Empty<object>() }, "questions"),
                     (new { name = "X", kind = "nps", questions = Enumerable.Repeat(q[0], 6).ToArray() }, "questions"),
                     (new { name = "X", kind = "csat", questions = new[] { new { en = (string?)null, zh = (string?)null } } }, "questions"),
                     (new { name = "X", kind = "csat", questions = q, lowScoreThreshold = 5 }, "lowScoreThreshold"),
                     (new { name = "X", kind = "nps", questions = q, lowScoreThreshold = -1 }, "lowScoreThreshold"),
                     (new { name = "X", kind = "csat", questions = q, lowScoreTag = "two words" }, "lowScoreTag"),
                     (new { name = "X", kind = "csat", questions = q, changeWindowMinutes = 20000 }, "changeWindowMinutes"),
                 })
        {
            var refused = await admin.PostAsJsonAsync("/api/v1/survey-templates", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(field, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        Assert.Equal(before, await _server.WithDbAsync(db => db.SurveyTemplates.CountAsync()));

        var (otherKey, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var foreignTemplate = (await (await foreign.PostAsJsonAsync("/api/v1/survey-templates", SurveyRig.Csat("Theirs"))).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var inbox = await new Workspace(_server).DemoInboxIdAsync();
        var rule = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/survey-rule", new { templateId = foreignTemplate });
        Assert.Equal("templateId", (await rule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/survey-rule", new { templateId = (Guid?)null, trigger = "silence", silenceMinutes = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/inboxes/{inbox}/survey-rule", new { templateId = foreignTemplate })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/api/v1/survey-templates/{foreignTemplate}", SurveyRig.Csat("Hijack"))).StatusCode);
        Assert.Equal(0, await _server.WithDbAsync(db => db.SurveyRules.CountAsync(r => r.InboxId == inbox)));
        _ = otherKey;

        // A change that is stored is audited, without personal data.
        var mine = (await (await admin.PostAsJsonAsync("/api/v1/survey-templates", SurveyRig.Csat("Audited"))).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == AuditActions.SettingChanged && a.TargetId == mine)));
    }

    [Fact]
    public async Task SilenceRule_SendsTheSurvey_WhenTheVisitorIsQuietAfterAnAgentsReply()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        using var admin = await server.AgentHttpAsync();
        var rig = new SurveyRig(server);
        var (key, _, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Silence"), trigger: "silence", silenceMinutes: 10);
        var (_, _, conversation) = await rig.VisitorAsync(key);
        await using (var hub = await server.ConnectAgentAsync())
        {
            Assert.True((await hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversation, new AgentSendMessage("a-" + Guid.NewGuid().ToString("N"), "Anything else?", null))).Ok);
        }

        Assert.Equal(0, await server.WithDbAsync(db => db.SurveyResponses.CountAsync(r => r.ConversationId == conversation)));

        // The sweep runs each minute of the server's clock: move it a minute at a time until the quiet spell is long enough.
        await Wait.UntilAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            return await server.WithDbAsync(db => db.SurveyResponses.AnyAsync(r => r.ConversationId == conversation));
        }, "the silence survey");
        var reply = await server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == conversation && m.SenderType == SenderType.Agent).Select(m => m.CreatedAt).SingleAsync());
        var sent = await server.WithDbAsync(db => db.SurveyResponses.Where(r => r.ConversationId == conversation).Select(r => r.SentAt).SingleAsync());
        Assert.True(sent - reply >= TimeSpan.FromMinutes(10), $"sent {sent - reply} after the reply");
        Assert.Equal("silence", await server.WithDbAsync(db => db.SurveyResponses.Where(r => r.ConversationId == conversation).Select(r => r.Trigger).SingleAsync()));
    }
}
