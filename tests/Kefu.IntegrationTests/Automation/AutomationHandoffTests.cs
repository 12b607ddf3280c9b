using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Access;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Automation;

/// <summary>
/// The <c>handed_off</c> trigger on a server whose bot hands off (its own server: the rule is workspace-wide and would
/// move the other bot tests' conversations). The rule sends the handed-off conversation to a team's line and tags the
/// contact (<c>assign_agent</c> needs the agent online and connected, as a person's transfer does).
/// </summary>
public sealed class AutomationHandoffTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task ABotHandOff_RunsTheHandedOffRule_WhichPutsItInTheTeamsLine_AndTagsTheContact()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        var team = await (await admin.Http.PostAsJsonAsync("/api/v1/teams", new { name = "Hand-offs " + Guid.NewGuid().ToString("N")[..6] })).Content.ReadFromJsonAsync<JsonElement>();
        var teamId = team.GetProperty("id").GetGuid();
        var tag = "handoff" + Guid.NewGuid().ToString("N")[..6];
        var saved = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = "Hand-offs to the team", trigger = "handed_off",
            actions = new[] { new { type = "assign_team", value = teamId.ToString() }, new { type = "add_tags", value = tag } },
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var ruleId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("运费多少钱");
        await visitor.AskAsync("转人工");

        await Wait.UntilAsync(async () => await _server.WithDbAsync(db => db.ConversationEvents.CountAsync(e => e.ConversationId == visitor.ConversationId && e.Type == AutomationApplied.Name)) == 2,
            "both actions of the hand-off rule");
        var applied = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == visitor.ConversationId && e.Type == AutomationApplied.Name)
            .OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync());
        Assert.All(applied, data =>
        {
            Assert.Contains(ruleId.ToString(), data, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\"outcome\":\"done\"", data, StringComparison.Ordinal);
        });
        Assert.Equal(teamId, await _server.WithDbAsync(db => db.QueueEntries.Where(q => q.ConversationId == visitor.ConversationId).Select(q => q.TeamId).SingleAsync()));
        var contact = await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == visitor.ConversationId).Select(c => c.ContactId).SingleAsync());
        Assert.Contains(tag, (await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact).Select(c => c.Tags).SingleAsync())).Split(' '));
    }
}
