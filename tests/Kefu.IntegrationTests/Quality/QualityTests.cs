using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Quality;

/// <summary>Quality inspection through the real paths: scorecards over REST, scoring on resolve on the durable lane, rescoring in the background.</summary>
public sealed class QualityTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    private static object Item(string rule, double weight, object? parameters = null) => new { rule, weight, parameters };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<Guid> AgentSaysAsync(HttpClient agent, Guid conversation, string text) =>
        (await JsonAsync(await agent.PostAsJsonAsync($"/api/v1/conversations/{conversation}/messages", new AgentSendMessage("a-" + Guid.NewGuid().ToString("N"), text, null))))
        .GetProperty("messageId").GetGuid();

    private Task<int> ScoresAsync(Guid conversation) => _server.WithDbAsync(db => db.Set<QualityScore>().CountAsync(s => s.ConversationId == conversation));

    [Fact]
    public async Task Resolve_ScoresTheConversation_WithTheDecidingMessages_OnceEvenWhenTheEventComesTwice_AndASupervisorsOverrideAndNoteReachTheAgent()
    {
        using var admin = await _server.AgentHttpAsync();
        var ws = new Workspace(_server);
        var (inbox, key) = await ws.InboxAsync("Quality " + Guid.NewGuid().ToString("N")[..6]);
        using var agent = await ws.PersonAsync(AgentRole.Agent, "Scored agent");
        using var supervisor = await ws.PersonAsync(AgentRole.Supervisor, "Coach");
        using var colleague = await ws.PersonAsync(AgentRole.Agent, "Colleague");
        var card = await JsonAsync(await admin.PostAsJsonAsync("/api/v1/quality/scorecards", new
        {
            name = "Chat QA", inboxId = inbox,
            items = new[]
            {
                Item(QualityRules.Greeting, 2, new { seconds = 600 }), Item(QualityRules.ForbiddenWords, 1, new { phrases = new[] { "stupid", "滚" } }),
                Item(QualityRules.NoPersonalData, 3), Item(QualityRules.MaxTransfers, 1, new { max = 0 }), Item(QualityRules.Empathy, 5),
            },
        }));
        Assert.Equal(1, card.GetProperty("version").GetInt32());

        var conversation = await ws.ConversationAsync(key, agent.Id, "hi, I need my invoice");
        var hello = await AgentSaysAsync(agent.Http, conversation, "Hello, welcome to Kefu!");
        var number = await AgentSaysAsync(agent.Http, conversation, "Call me on 13912345678");
        (await agent.Http.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        await Wait.UntilAsync(async () => await ScoresAsync(conversation) == 1, "the conversation to be scored");

        var scores = await JsonAsync(await supervisor.Http.GetAsync($"/api/v1/conversations/{conversation}/quality"));
        var score = scores.EnumerateArray().Single();
        var items = score.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(("pass", hello), (items[0].GetProperty("outcome").GetString(), items[0].GetProperty("messageId").GetGuid()));
        Assert.Equal("pass", items[1].GetProperty("outcome").GetString());
        Assert.Equal(("fail", number), (items[2].GetProperty("outcome").GetString(), items[2].GetProperty("messageId").GetGuid()));
        Assert.Equal("pass", items[3].GetProperty("outcome").GetString());
        Assert.Equal("not_applicable", items[4].GetProperty("outcome").GetString()); // the visitor was never upset
        Assert.Equal(57.1, score.GetProperty("score").GetDouble()); // weights of the items that apply: 2 + 1 + 3 + 1 = 7; passed: 4
        Assert.Equal(agent.Id, score.GetProperty("agentId").GetGuid());

        // The resolve delivered again (at least once): the same row, the same outcomes.
        var consumer = _server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "quality");
        var tenant = await ws.TenantIdAsync();
        await consumer.HandleAllAsync([new ConversationResolved { TenantId = tenant, ConversationId = conversation, Actor = Actor.Agent(agent.Id), OccurredAt = DateTime.UtcNow }], default);
        Assert.Equal(1, await ScoresAsync(conversation));

        // The scored agent sees their score; a colleague does not (404, as another workspace's conversation).
        Assert.Single((await JsonAsync(await agent.Http.GetAsync($"/api/v1/conversations/{conversation}/quality"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.Http.GetAsync($"/api/v1/conversations/{conversation}/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PutAsJsonAsync($"/api/v1/quality/scores/{score.GetProperty("id")}/coaching", new { note = "x" })).StatusCode);

        // The supervisor finds it in the review queue, overrides the personal-data item and writes a note.
        var queue = await JsonAsync(await supervisor.Http.GetAsync("/api/v1/quality/review-queue?limit=200"));
        Assert.Contains(queue.GetProperty("lowest").EnumerateArray(), s => s.GetProperty("conversationId").GetGuid() == conversation);
        var scoreId = score.GetProperty("id").GetGuid();
        var bad = await supervisor.Http.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/items/2/override", new { outcome = "pass" });
        Assert.Equal("invalid_override", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var overridden = await JsonAsync(await supervisor.Http.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/items/2/override",
            new { outcome = "pass", comment = "The customer asked for a call-back number" }));
        Assert.Equal(100.0, overridden.GetProperty("score").GetDouble());
        Assert.Equal(score.GetProperty("autoScore").GetDouble(), overridden.GetProperty("autoScore").GetDouble());
        await JsonAsync(await supervisor.Http.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/coaching", new { note = "Greet by name next time" }));
        var mine = (await JsonAsync(await agent.Http.GetAsync("/api/v1/quality/my-scores"))).EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == scoreId);
        Assert.Equal("Greet by name next time", mine.GetProperty("coachingNote").GetString());
        Assert.Empty((await JsonAsync(await colleague.Http.GetAsync("/api/v1/quality/my-scores"))).EnumerateArray());
        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/conversations/{conversation}/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/items/0/override", new { outcome = "fail", comment = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/coaching", new { note = "x" })).StatusCode);

        // A supervisor limited to another inbox finds nothing of this one: not in the queue, 404 on the score and on changing it.
        using var elsewhere = await ws.PersonAsync(AgentRole.Supervisor, "Other floor");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.SetAccessAsync(elsewhere.Id, "supervisor", await ws.DemoInboxIdAsync())).StatusCode);
        var theirs = await JsonAsync(await elsewhere.Http.GetAsync("/api/v1/quality/review-queue?limit=200&sample=200"));
        Assert.DoesNotContain(theirs.GetProperty("lowest").EnumerateArray().Concat(theirs.GetProperty("sample").EnumerateArray()), s => s.GetProperty("conversationId").GetGuid() == conversation);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.GetAsync($"/api/v1/conversations/{conversation}/quality")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/items/0/override", new { outcome = "fail", comment = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.Http.PutAsJsonAsync($"/api/v1/quality/scores/{scoreId}/coaching", new { note = "x" })).StatusCode);

        // Delivered again after the override: the override and the note stay.
        await consumer.HandleAllAsync([new ConversationResolved { TenantId = tenant, ConversationId = conversation, Actor = Actor.Agent(agent.Id), OccurredAt = DateTime.UtcNow }], default);
        var again = (await JsonAsync(await agent.Http.GetAsync($"/api/v1/conversations/{conversation}/quality"))).EnumerateArray().Single();
        Assert.Equal((100.0, "Greet by name next time"), (again.GetProperty("score").GetDouble(), again.GetProperty("coachingNote").GetString()));

        // A change makes version 2; rescoring scores the conversation by it in the background; version 1's score stays.
        var changed = await JsonAsync(await admin.PutAsJsonAsync($"/api/v1/quality/scorecards/{card.GetProperty("id")}", new
        {
            name = "Chat QA", inboxId = inbox, items = new[] { Item(QualityRules.NoPersonalData, 1) },
        }));
        Assert.Equal(2, changed.GetProperty("version").GetInt32());
        await Wait.UntilAsync(async () => await ScoresAsync(conversation) == 2, "rescoring by version 2");
        var versions = (await JsonAsync(await supervisor.Http.GetAsync($"/api/v1/conversations/{conversation}/quality"))).EnumerateArray()
            .Select(s => (s.GetProperty("version").GetInt32(), s.GetProperty("autoScore").GetDouble())).OrderBy(v => v.Item1).ToList();
        Assert.Equal([(1, score.GetProperty("autoScore").GetDouble()), (2, 0.0)], versions);
        await Wait.UntilAsync(async () => (await JsonAsync(await admin.GetAsync($"/api/v1/quality/scorecards/{card.GetProperty("id")}")))
            .GetProperty("rescoring").GetProperty("status").GetString() == "done", "the rescoring job to finish");
    }

    [Fact]
    public async Task BadInput_IsRefusedByCodeAndField_StoresNothing_AndAnotherWorkspacesScorecardsAndScoresAre404()
    {
        using var admin = await _server.AgentHttpAsync();
        var ws = new Workspace(_server);
        using var agent = await ws.PersonAsync();
        int Count(KefuDbContext db) => db.Set<Scorecard>().Count() + db.Set<ScorecardVersion>().Count();
        var before = await _server.WithDbAsync(db => Task.FromResult(Count(db)));

        async Task RefusedAsync(object body, string code, string? field)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/quality/scorecards", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal(field, problem.TryGetProperty("field", out var f) ? f.GetString() : null);
        }

        await RefusedAsync(new { name = "W", items = new[] { Item(QualityRules.CsatAnswered, 0) } }, "invalid_scorecard", "items[0].weight");
        await RefusedAsync(new { name = "W", items = new[] { Item(QualityRules.CsatAnswered, -2) } }, "invalid_scorecard", "items[0].weight");
        await RefusedAsync(new { name = "R", items = new[] { Item("be_nice", 1) } }, "unknown_rule", "items[0].rule");
        await RefusedAsync(new { name = "P", items = new[] { Item(QualityRules.ForbiddenPattern, 1, new { pattern = @"^(a+)+\1$" }) } }, "invalid_pattern", "items[0].parameters.pattern");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var huge = Enumerable.Range(0, 100_000).Select(i => "违禁词" + i).ToArray();
        await RefusedAsync(new { name = "L", items = new[] { Item(QualityRules.ForbiddenWords, 1, new { phrases = huge }) } }, "too_many_phrases", "items");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the 100,000-entry list took {started.Elapsed}");
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PostAsJsonAsync("/api/v1/quality/scorecards", new { name = "A", items = new[] { Item(QualityRules.CsatAnswered, 1) } })).StatusCode);
        Assert.Equal(before, await _server.WithDbAsync(db => Task.FromResult(Count(db))));

        // A pathological pattern the engine can run without backtracking is accepted: it is linear, never slow.
        var ok = await JsonAsync(await admin.PostAsJsonAsync("/api/v1/quality/scorecards", new { name = "Evil but safe", active = false, items = new[] { Item(QualityRules.ForbiddenPattern, 1, new { pattern = "^(a+)+$" }) } }));

        var (_, otherEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync($"/api/v1/quality/scorecards/{ok.GetProperty("id")}")).StatusCode);
        var put = await foreign.PutAsJsonAsync($"/api/v1/quality/scorecards/{ok.GetProperty("id")}", new { name = "Mine now", items = new[] { Item(QualityRules.CsatAnswered, 1) } });
        Assert.Equal((HttpStatusCode.NotFound, "scorecard_not_found"), (put.StatusCode, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.DoesNotContain((await JsonAsync(await foreign.GetAsync("/api/v1/quality/scorecards"))).EnumerateArray(), s => s.GetProperty("id").GetGuid() == ok.GetProperty("id").GetGuid());
        Assert.Equal(1, await _server.WithDbAsync(db => db.Set<ScorecardVersion>().CountAsync(v => v.ScorecardId == ok.GetProperty("id").GetGuid())));
    }

    [Fact]
    public async Task Rescoring_ContinuesFromTheCursorAnInterruptedRunPersisted_InBatches()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock, Settings = new Dictionary<string, string> { ["Kefu:Quality:RescoreBatchSize"] = "2" } }.Start();
        using var admin = await server.AgentHttpAsync();
        var ws = new Workspace(server);
        var (inbox, key) = await ws.InboxAsync("Rescored");
        using var agent = await ws.PersonAsync();
        var conversations = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var conversation = await ws.ConversationAsync(key, agent.Id);
            await AgentSaysAsync(agent.Http, conversation, "Hello!");
            clock.Advance(TimeSpan.FromMinutes(1));
            (await agent.Http.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
            conversations.Add(conversation);
        }

        // An inactive scorecard queues nothing; then a job as a run interrupted after the first two conversations leaves it.
        var card = await JsonAsync(await admin.PostAsJsonAsync("/api/v1/quality/scorecards", new { name = "Later", inboxId = inbox, active = false, items = new[] { Item(QualityRules.Greeting, 1) } }));
        var resolvedAt = await server.WithDbAsync(db => db.Conversations.Where(c => conversations.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.ResolvedAt!.Value));
        var job = new QualityRescoreJob
        {
            Id = Guid.CreateVersion7(), TenantId = await ws.TenantIdAsync(), ScorecardId = card.GetProperty("id").GetGuid(), ScorecardVersionId = card.GetProperty("versionId").GetGuid(),
            Version = 1, Status = "pending", Cursor = resolvedAt[conversations[2]], CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await server.WithDbAsync(db =>
        {
            db.Add(job);
            return db.SaveChangesAsync();
        });
        server.Services.GetRequiredService<RescoreSignal>().Notify();
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.Set<QualityRescoreJob>().AnyAsync(j => j.Id == job.Id && j.Status == "done")), "the job to finish");

        var scored = await server.WithDbAsync(db => db.Set<QualityScore>().Where(s => s.ScorecardVersionId == job.ScorecardVersionId).Select(s => s.ConversationId).ToListAsync());
        Assert.Equal(conversations.Skip(2).Order(), scored.Order());
        var done = await server.WithDbAsync(db => db.Set<QualityRescoreJob>().SingleAsync(j => j.Id == job.Id));
        Assert.Equal((3, resolvedAt[conversations[4]]), (done.Scored, done.Cursor!.Value));
    }
}
