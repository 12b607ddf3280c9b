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
/// The <c>handed_off</c> trigger and the <c>assign_agent</c> action on a server whose bot hands off (its own server: the
/// rule is workspace-wide and would assign the other bot tests' conversations).
/// </summary>
public sealed class AutomationHandoffTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task ABotHandOff_RunsTheHandedOffRule_WhichAssignsTheNamedAgent_AndTagsTheContact()
    {
        var ws = new Workspace(_server);
        using var admin = await ws.PersonAsync(AgentRole.Admin);
        using var specialist = await ws.PersonAsync(name: "Handoff specialist");
        var tag = "handoff" + Guid.NewGuid().ToString("N")[..6];
        var saved = await admin.Http.PostAsJsonAsync("/api/v1/automation/rules", new
        {
            name = "Hand-offs to the specialist", trigger = "handed_off",
            actions = new[] { new { type = "assign_agent", value = specialist.Id.ToString() }, new { type = "add_tags", value = tag } },
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
        Assert.Equal(specialist.Id, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == visitor.ConversationId).Select(c => c.AssigneeId).SingleAsync()));
        var contact = await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == visitor.ConversationId).Select(c => c.ContactId).SingleAsync());
        Assert.Contains(tag, (await _server.WithDbAsync(db => db.Contacts.Where(c => c.Id == contact).Select(c => c.Tags).SingleAsync())).Split(' '));
    }
}
