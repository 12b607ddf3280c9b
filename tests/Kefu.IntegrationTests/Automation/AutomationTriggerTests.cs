using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Surveys;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Automation;
using Kefu.Server.Features.Collaboration;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Automation;

/// <summary>The survey-answered trigger, the built-in auto-resolve rule and the backfill of notes into search, on a real server.</summary>
public sealed class AutomationTriggerTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task ASurveyAnsweredLow_RunsTheLowScoreRule_NotTheHighScoreOne()
    {
        using var admin = await _server.AgentHttpAsync();
        var rig = new SurveyRig(_server);
        var (key, inboxId, _) = await rig.InboxWithSurveyAsync(admin, SurveyRig.Csat("Automation"));
        var (low, high) = ("low" + Guid.NewGuid().ToString("N")[..6], "high" + Guid.NewGuid().ToString("N")[..6]);
        foreach (var (name, op, value, tag) in new[] { ("Unhappy", "at_most", "2", low), ("Happy", "at_least", "4", high) })
        {
            var saved = await admin.PostAsJsonAsync("/api/v1/automation/rules", new
            {
                name, trigger = "survey_answered",
                conditions = new object[] { new { field = "inbox", @operator = "equals", value = inboxId.ToString() }, new { field = "score", @operator = op, value } },
                actions = new[] { new { type = "add_tags", value = tag } },
            });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        var (token, contact, conversation) = await rig.VisitorAsync(key);
        (await admin.PostAsync($"/api/v1/conversations/{conversation}/resolve", null)).EnsureSuccessStatusCode();
        var survey = await rig.SurveyOfAsync(conversation);
        using var visitor = SurveyRig.VisitorHttp(_server, token);
        (await visitor.PostAsJsonAsync($"/api/v1/widget/surveys/{survey}/answer", new { scores = new[] { 1 } })).EnsureSuccessStatusCode();

        await Wait.UntilAsync(() => _server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name)), "the low-score rule to run");
        await rig.DrainAsync();
        var tags = await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact).Select(c => c.Tags).SingleAsync());
        Assert.Contains(low, tags.Split(' '));
        Assert.DoesNotContain(high, tags.Split(' '));
        var entry = await _server.WithDbAsync(db => db.ConversationEvents.SingleAsync(e => e.ConversationId == conversation && e.Type == AutomationApplied.Name));
        Assert.Contains("Unhappy", entry.Data);
    }

    [Fact]
    public async Task TheAutoResolvePreset_SwitchedOn_ResolvesAConversationIdleForItsHours_WithItsMessage_AndIsOneOrdinaryRule()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var first = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/automation/presets/auto-resolve");
        Assert.Equal(AutoResolvePreset.DefaultHours, first.GetProperty("hours").GetInt32());

        foreach (var (body, field) in new (object, string)[] { (new { enabled = true, hours = 0 }, "hours"), (new { enabled = true, hours = 721 }, "hours"), (new { enabled = true, hours = 2, message = new string('x', 2001) }, "message") })
        {
            var refused = await admin.Http.PutAsJsonAsync("/api/v1/automation/presets/auto-resolve", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(field, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        var message = "Closing this quiet chat " + Guid.NewGuid().ToString("N")[..6];
        var on = await admin.Http.PutAsJsonAsync("/api/v1/automation/presets/auto-resolve", new { enabled = true, hours = 2, message });
        Assert.True(on.IsSuccessStatusCode, await on.Content.ReadAsStringAsync());
        var preset = await on.Content.ReadFromJsonAsync<JsonElement>();
        var ruleId = preset.GetProperty("ruleId").GetGuid();
        Assert.Equal((true, 2, message), (preset.GetProperty("enabled").GetBoolean(), preset.GetProperty("hours").GetInt32(), preset.GetProperty("message").GetString()));
        var again = await (await admin.Http.PutAsJsonAsync("/api/v1/automation/presets/auto-resolve", new { enabled = true, hours = 2, message })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ruleId, again.GetProperty("ruleId").GetGuid()); // one rule, changed in place
        var rules = await admin.Http.GetFromJsonAsync<JsonElement>("/api/v1/automation/rules");
        var listed = Assert.Single(rules.EnumerateArray(), r => r.GetProperty("id").GetGuid() == ruleId);
        Assert.Equal(("idle", 120), (listed.GetProperty("trigger").GetString(), listed.GetProperty("idleMinutes").GetInt32()));

        // Two quiet hours pass for this conversation (its last message moved back); the idle sweep runs the preset.
        var conversation = await ws.ConversationAsync(text: "anyone there?");
        var fresh = await ws.ConversationAsync(text: "still here");
        await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageAt, c => c.LastMessageAt.AddMinutes(-121))));
        await _server.Services.GetRequiredService<IdleSweep>().SweepAsync(CancellationToken.None);
        await Wait.UntilAsync(async () => await StatusAsync(conversation) == ConversationStatus.Resolved, "resolved by the preset");
        Assert.Equal(message, await _server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == conversation && m.SenderType == SenderType.Bot).Select(m => m.Text).SingleAsync()));
        Assert.Equal(ConversationStatus.Open, await StatusAsync(fresh));

        var off = await (await admin.Http.PutAsJsonAsync("/api/v1/automation/presets/auto-resolve", new { enabled = false, hours = 2, message })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.False(await _server.WithDbAsync(db => db.AutomationRules.Where(r => r.Id == ruleId).Select(r => r.Enabled).SingleAsync()));
    }

    [Fact]
    public async Task NotesWrittenBeforeNotesWereIndexed_AreAddedToSearch_ByTheBackfill_WhenItStartsAgain()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var conversation = await ws.ConversationAsync(text: "my parcel");
        var word = "仓库" + Guid.NewGuid().ToString("N")[..6];
        var notes = new List<Guid>();
        foreach (var text in new[] { $"请联系{word}确认", $"{word} second note" })
        {
            var added = await admin.Http.PostAsJsonAsync($"/api/v1/conversations/{conversation}/notes", new { text });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
            notes.Add((await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        // As before notes were indexed: the notes exist, their documents do not, and search does not find them.
        await _server.WithDbAsync(db => db.Set<SearchDocument>().Where(d => notes.Contains(d.SourceId)).ExecuteDeleteAsync());
        Assert.Empty(await SearchAsync(admin.Http, word));

        // The job starts again (as after a restart), takes the lease, indexes what has no document and stops.
        var backfill = _server.Services.GetRequiredService<NoteSearchBackfill>();
        await backfill.StartAsync(CancellationToken.None);
        await Wait.UntilAsync(async () => (await SearchAsync(admin.Http, word)).Count == 2, "both notes found by search");
        Assert.Equal(notes.Order(), (await SearchAsync(admin.Http, word)).Select(h => h.GetProperty("messageId").GetGuid()).Order());
        Assert.Equal(0, await backfill.BatchAsync(CancellationToken.None)); // nothing left
        Assert.Equal(2, await _server.WithDbAsync(db => db.Set<SearchDocument>().CountAsync(d => notes.Contains(d.SourceId))));
    }

    private Task<ConversationStatus> StatusAsync(Guid conversation) =>
        _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == conversation).Select(c => c.Status).SingleAsync());

    private static async Task<List<JsonElement>> SearchAsync(HttpClient http, string q) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={Uri.EscapeDataString(q)}&pageSize=50")).GetProperty("items").EnumerateArray()];
}
