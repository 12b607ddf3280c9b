using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Automation;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Automation;

/// <summary>Automation rules through a real server: saved over HTTP, run by the durable lane and the idle sweep.</summary>
public sealed class AutomationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AVisitorMessageWithTheWord_TagsTheContact_RaisesPriority_AndTheTimelineNamesTheRule()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var word = "refund" + Guid.NewGuid().ToString("N")[..6];
        await CreateRuleAsync(admin.Http, new
        {
            name = "Refunds first", trigger = "message_created", sender = "visitor",
            conditions = new[] { new { field = "text", @operator = "contains", value = word } },
            actions = new[] { new { type = "add_tags", value = "refund" }, new { type = "set_priority", value = "high" } },
        });

        var other = await ws.ConversationAsync(text: "just saying hello");
        var conversation = await ws.ConversationAsync(text: $"I want a {word.ToUpperInvariant()} please");

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name)).ContinueWith(t => t.Result == 2), "two actions recorded");
        var (tags, priority) = await _server.WithDbAsync(async db =>
        {
            var c = await db.Conversations.SingleAsync(x => x.Id == conversation);
            return ((await db.Contacts.SingleAsync(x => x.Id == c.ContactId)).Tags, c.Priority);
        });
        Assert.Contains("refund", tags.Split(' '));
        Assert.Equal(ConversationPriority.High, priority);
        var entries = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name).OrderBy(e => e.Id).ToListAsync());
        Assert.All(entries, e => Assert.Contains("Refunds first", e.Data));
        Assert.Contains("\"outcome\":\"done\"", entries[0].Data);
        Assert.Equal(0, await _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == other && e.Type == AutomationApplied.Name)));

        // At least once: the same event again changes nothing and records nothing.
        var replay = await _server.WithDbAsync(async db =>
        {
            var c = await db.Conversations.SingleAsync(x => x.Id == conversation);
            var m = await db.Messages.SingleAsync(x => x.ConversationId == conversation && x.Seq == 1);
            return new MessageCreated(m.Id, 1, SenderType.Visitor, ConversationHandler.Queue, c.InboxId, c.ContactId)
            { TenantId = c.TenantId, ConversationId = c.Id, Actor = Actor.Visitor(c.ContactId), OccurredAt = DateTime.UtcNow };
        });
        await _server.Services.GetServices<IOutboxConsumer>().Single(c => c.Name == "automation").HandleAsync(replay, CancellationToken.None);
        Assert.Equal(2, await _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name)));
    }

    [Fact]
    public async Task ARuleAnsweringEveryMessage_StopsAtTheDepthLimit()
    {
        var logs = new LogCollector();
        await using var server = new KefuFactory { Logs = logs }.Start();
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        await CreateRuleAsync(admin.Http, new
        {
            name = "Echo", trigger = "message_created", sender = "any",
            actions = new[] { new { type = "send_message", value = "We got it." } },
        });

        var conversation = await ws.ConversationAsync(text: "hello");

        await Wait.UntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.Text.Contains($"{conversation}: depth 3 reached", StringComparison.Ordinal))), "the chain stopped");
        var sent = await server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == conversation && m.SenderType == SenderType.Bot).Select(m => m.ClientMessageId).ToListAsync());
        Assert.Equal(3, sent.Count); // visitor (0) → rule (1) → rule (2) → rule (3) → stop
        Assert.Equal([1, 2, 3], sent.Select(AutomationRunner.DepthOf).Order());
    }

    [Fact]
    public async Task AFailingAction_IsRecordedAsFailed_AndTheNextOneStillRuns()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var team = await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Gone " + Guid.NewGuid().ToString("N")[..6] })).Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];
        var word = "w" + Guid.NewGuid().ToString("N")[..8];
        await CreateRuleAsync(admin.Http, new
        {
            name = "Team then tag", trigger = "message_created",
            conditions = new[] { new { field = "text", @operator = "matches", value = $"^{word}\\b" } },
            actions = new[] { new { type = "assign_team", value = teamId.ToString() }, new { type = "add_tags", value = tag } },
        });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.DeleteAsync($"/api/v1/teams/{teamId}")).StatusCode); // the team goes after the rule was saved

        var conversation = await ws.ConversationAsync(text: $"{word} help");

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name)).ContinueWith(t => t.Result == 2), "both actions recorded");
        var outcomes = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name).OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync());
        Assert.DoesNotContain("\"outcome\":\"done\"", outcomes[0]);
        Assert.Contains("\"outcome\":\"done\"", outcomes[1]);
        Assert.Contains(tag, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => db.Contacts.Single(x => x.Id == c.ContactId).Tags).SingleAsync()));
    }

    [Fact]
    public async Task ARule_AddsAPrivateNote_AndSnoozesUntilTheCustomerReplies_AndABadSnoozeIsRefused()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var word = "parcel" + Guid.NewGuid().ToString("N")[..6];
        var bad = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = "Bad snooze", trigger = "message_created", actions = new[] { new { type = "snooze", value = "tomorrow" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("actions[0].value", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        await CreateRuleAsync(admin.Http, new
        {
            name = "Courier check", trigger = "message_created",
            conditions = new[] { new { field = "text", @operator = "contains", value = word } },
            actions = new[] { new { type = "add_note", value = "Ask the courier first {{7*7}}" }, new { type = "snooze", value = "until_reply" } },
        });

        var conversation = await ws.ConversationAsync(text: $"where is my {word}?");

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name)).ContinueWith(t => t.Result == 2), "both actions recorded");
        var outcomes = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name).OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync());
        Assert.All(outcomes, o => Assert.Contains("\"outcome\":\"done\"", o));
        var note = await _server.WithDbAsync(db => db.Notes.SingleAsync(n => n.ConversationId == conversation));
        Assert.Equal(("Ask the courier first {{7*7}}", admin.Id), (note.Text, note.AuthorId!.Value)); // literal, written as the rule's owner
        Assert.Equal(ConversationStatus.Snoozed, await StatusAsync(_server, conversation));
        Assert.Null(await _server.WithDbAsync(db => db.Snoozes.Where(x => x.ConversationId == conversation).Select(x => x.Until).SingleAsync()));
        Assert.False(await _server.WithDbAsync(db => db.Messages.AnyAsync(m => m.ConversationId == conversation && m.Text.Contains("courier")))); // never to the visitor
    }

    [Fact]
    public async Task AConversationCreatedRule_WithAnInboxCondition_TagsOnlyThatInbox()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var (inbox, key) = await ws.InboxAsync("Rules " + Guid.NewGuid().ToString("N")[..6]);
        var tag = "new" + Guid.NewGuid().ToString("N")[..6];
        await CreateRuleAsync(admin.Http, new
        {
            name = "Welcome", trigger = "conversation_created", match = "any",
            conditions = new[] { new { field = "inbox", @operator = "equals", value = inbox.ToString() } },
            actions = new[] { new { type = "add_tags", value = tag } },
        });

        var elsewhere = await ws.ConversationAsync(text: "first");
        var here = await ws.ConversationAsync(key, text: "first");

        await Wait.UntilAsync(() => TagsAsync(here).ContinueWith(t => t.Result.Contains(tag)), "the inbox's conversation tagged");
        Assert.DoesNotContain(tag, await TagsAsync(elsewhere));
    }

    [Fact]
    public async Task IdleRule_RunsFromTheSweep_OncePerQuietSpell_ResolvingWithAMessage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        var ws = new Workspace(server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        await CreateRuleAsync(admin.Http, new
        {
            name = "Auto-resolve", trigger = "idle", idleMinutes = 120,
            actions = new[] { new { type = "send_message", value = "Closing this chat for now." }, new { type = "resolve", value = "" } },
        });
        var conversation = await ws.ConversationAsync(text: "hello");
        var sweep = server.Services.GetRequiredService<IdleSweep>();

        clock.Advance(TimeSpan.FromMinutes(119));
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal(ConversationStatus.Open, await StatusAsync(server, conversation));

        // The sweep's own loop also wakes on the clock: whichever pass gets there first runs the rule, once.
        clock.Advance(TimeSpan.FromMinutes(2));
        await sweep.SweepAsync(CancellationToken.None);
        await Wait.UntilAsync(async () => await StatusAsync(server, conversation) == ConversationStatus.Resolved, "resolved by the idle rule");
        await Wait.UntilAsync(() => server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name && e.Data!.Contains("\"outcome\":\"done\""))).ContinueWith(t => t.Result == 2), "both actions recorded as done");
        Assert.Equal(1, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversation && m.SenderType == SenderType.Bot)));
        await sweep.SweepAsync(CancellationToken.None);
        Assert.Equal(1, await server.WithDbAsync(db => db.AutomationRuns.CountAsync(r => r.ConversationId == conversation)));
    }

    [Fact]
    public async Task BadRules_Are400WithTheField_AndStoreNothing_AnotherWorkspacesRuleIs404()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var (other, otherEmail) = await _server.CreateOtherTenantAsync();
        _ = other;
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == otherEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var foreign = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherEmail, KefuFactory.AdminPassword));
        var foreignTeam = (await (await foreign.PostAsJsonAsync("/api/v1/teams", new { name = "Theirs" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var tag = new[] { new { type = "add_tags", value = "x" } };
        var before = await _server.WithDbAsync(db => db.AutomationRules.CountAsync());

        (object Body, string Field)[] cases =
        [
            (new { name = "No action", trigger = "message_created", actions = Array.Empty<object>() }, "actions"),
            (new { name = "Bad field", trigger = "message_created", conditions = new[] { new { field = "mood", @operator = "equals", value = "x" } }, actions = tag }, "conditions[0].field"),
            (new { name = "Bad operator", trigger = "message_created", conditions = new[] { new { field = "tag", @operator = "matches", value = "x" } }, actions = tag }, "conditions[0].operator"),
            (new { name = "Backreference", trigger = "message_created", conditions = new[] { new { field = "text", @operator = "matches", value = "(a+)+\\1" } }, actions = tag }, "conditions[0].value"),
            (new { name = "Broken pattern", trigger = "message_created", conditions = new[] { new { field = "text", @operator = "matches", value = "([a-z" } }, actions = tag }, "conditions[0].value"),
            (new { name = "Their team", trigger = "message_created", actions = new[] { new { type = "assign_team", value = foreignTeam.ToString() } } }, "actions[0].value"),
            (new { name = "Idle without minutes", trigger = "idle", actions = tag }, "idleMinutes"),
            (new { name = "", trigger = "message_created", actions = tag }, "name"),
        ];
        foreach (var (body, field) in cases)
        {
            var response = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("invalid_automation", field), (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()));
        }

        Assert.Equal(before, await _server.WithDbAsync(db => db.AutomationRules.CountAsync()));
        var ours = await CreateRuleAsync(admin.Http, new
        {
            name = "Ours", trigger = "message_created", actions = tag,
            conditions = new[] { new { field = "text", @operator = "contains", value = Guid.NewGuid().ToString() } }, // never: other tests share this server
        });
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.PutAsJsonAsync($"/api/v1/automation/rules/{ours}", new { name = "Taken", trigger = "message_created", actions = tag })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.DeleteAsync($"/api/v1/automation/rules/{ours}")).StatusCode);
        Assert.Equal("Ours", await _server.WithDbAsync(db => db.AutomationRules.Where(r => r.Id == ours).Select(r => r.Name).SingleAsync()));
    }

    [Fact]
    public async Task Rules_Reorder_Disable_AndAreAudited()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var tag = new[] { new { type = "add_tags", value = "x" } };
        await CreateRuleAsync(admin.Http, new { name = "A", trigger = "handed_off", actions = tag });
        var rules = await admin.Http.GetFromJsonAsync<List<RuleDto>>("/api/v1/automation/rules", KefuFactory.Json);
        var reversed = rules!.Select(r => r.Id).Reverse().ToList();

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.PutAsJsonAsync("/api/v1/automation/rules/order", new { ids = reversed.Skip(1) })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync("/api/v1/automation/rules/order", new { ids = reversed })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PutAsJsonAsync($"/api/v1/automation/rules/{reversed[0]}/enabled", new { enabled = false })).StatusCode);

        var after = await admin.Http.GetFromJsonAsync<List<RuleDto>>("/api/v1/automation/rules", KefuFactory.Json);
        Assert.Equal(reversed, after!.Select(r => r.Id));
        Assert.False(after![0].Enabled);
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TargetId == reversed[0].ToString() && a.Detail == "disabled")));
    }

    [Fact]
    public async Task AMacro_RunsItsActionsInOneClick_PersonalOnesStayTheirOwners()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var agent = await ws.PersonAsync(name: "Macro agent");
        using var colleague = await ws.PersonAsync(name: "Colleague");
        var conversation = await ws.ConversationAsync(assignee: agent.Id, text: "where is my parcel");
        var shared = await (await admin.Http.PostAsJsonAsync("/api/v1/macros", new
        {
            name = "Urgent VIP and close", shared = true,
            actions = new[] { new { type = "add_tags", value = "vip" }, new { type = "set_priority", value = "urgent" }, new { type = "resolve", value = "" } },
        })).Content.ReadFromJsonAsync<MacroDto>(KefuFactory.Json);
        var mine = await (await colleague.Http.PostAsJsonAsync("/api/v1/macros", new { name = "Mine", actions = new[] { new { type = "resolve", value = "" } } })).Content.ReadFromJsonAsync<MacroDto>(KefuFactory.Json);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PostAsJsonAsync("/api/v1/macros", new { name = "Shared?", shared = true, actions = new[] { new { type = "resolve", value = "" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.Http.PostAsJsonAsync("/api/v1/macros", new { name = "Send?", actions = new[] { new { type = "send_message", value = "hi" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Http.PostAsync($"/api/v1/conversations/{conversation}/macros/{mine!.Id}/run", null)).StatusCode);
        Assert.DoesNotContain(await agent.Http.GetFromJsonAsync<List<MacroDto>>("/api/v1/macros", KefuFactory.Json) ?? [], m => m.Id == mine.Id);

        var run = await agent.Http.PostAsync($"/api/v1/conversations/{conversation}/macros/{shared!.Id}/run", null);
        run.EnsureSuccessStatusCode();
        var result = await run.Content.ReadFromJsonAsync<MacroRunResult>(KefuFactory.Json);
        Assert.Null(result!.FailedAction);
        Assert.Equal(ConversationStatus.Resolved, await StatusAsync(_server, conversation));
        Assert.Contains("vip", await TagsAsync(conversation));
        Assert.Equal(3, await _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name && e.ActorId == agent.Id)));

        // A retried click with the same Idempotency-Key runs the macro once and answers the first answer again.
        var other = await ws.ConversationAsync(assignee: agent.Id, text: "retry me");
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> RunKeyedAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{other}/macros/{shared.Id}/run");
            request.Headers.Add(Idempotency.Header, key);
            return await agent.Http.SendAsync(request);
        }

        var first = await RunKeyedAsync();
        var retry = await RunKeyedAsync();
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(3, await _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == other && e.Type == AutomationApplied.Name)));
    }

    private static async Task<Guid> CreateRuleAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/automation/rules", body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private Task<string> TagsAsync(Guid conversation) =>
        _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => db.Contacts.Single(x => x.Id == c.ContactId).Tags).SingleAsync());

    private static Task<ConversationStatus> StatusAsync(KefuFactory server, Guid conversation) =>
        server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => c.Status).SingleAsync());
}
