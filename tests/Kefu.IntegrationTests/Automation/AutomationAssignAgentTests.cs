using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.IntegrationTests.Routing;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Automation;

/// <summary>
/// The <c>assign_agent</c> action on its own server (the rule is workspace-wide, and routing must be manual so that
/// nothing but the rule assigns): it assigns to an agent who is online and connected, as a person's transfer does,
/// and an agent who is not online makes the action fail with its reason in the timeline while the rule's other
/// actions still run.
/// </summary>
public sealed class AutomationAssignAgentTests
{
    [Fact]
    public async Task ARule_AssignsTheConversationToAnOnlineAgent_AndAnOfflineOneFailsAloneInTheTimeline()
    {
        await using var server = new KefuFactory().Start();
        await server.ConfigureInboxAsync(new { mode = AssignmentMode.Manual });
        await using var online = await server.AgentAsync("Online");
        await using var offline = await server.AgentAsync("Offline", connect: false);
        using var admin = await server.AgentHttpAsync();
        var word = "vip" + Guid.NewGuid().ToString("N")[..6];
        var other = "gold" + Guid.NewGuid().ToString("N")[..6];
        var tag = "routed" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (name, agent, text) in new[] { ("To the online agent", online.Id, word), ("To the offline agent", offline.Id, other) })
        {
            var saved = await admin.PostAsJsonAsync("/api/v1/automation/rules", new
            {
                name, trigger = "message_created",
                conditions = new[] { new { field = "text", @operator = "contains", value = text } },
                actions = new[] { new { type = "assign_agent", value = agent.ToString() }, new { type = "add_tags", value = tag } },
            });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        // The first rule's word only: assigned to the online agent, who gets it in their list.
        await using var first = await server.VisitorAsync($"hello {word} here");
        Assert.Equal(online.Id, await server.WaitForAssigneeAsync(first.ConversationId));
        var outcomes = await OutcomesAsync(server, first.ConversationId);
        Assert.Equal([("assign_agent", "done"), ("add_tags", "done")], outcomes);

        // The second rule's word: the offline agent cannot take it; the tag is still added and nobody is assigned.
        await using var second = await server.VisitorAsync($"hello {other} here");
        outcomes = await OutcomesAsync(server, second.ConversationId);
        Assert.Contains(("add_tags", "done"), outcomes);
        Assert.Contains(outcomes, o => o.Action == "assign_agent" && o.Outcome != "done");
        Assert.Null(await server.AssigneeAsync(second.ConversationId));
    }

    private static async Task<List<(string Action, string Outcome)>> OutcomesAsync(KefuFactory server, Guid conversationId)
    {
        List<(string, string)> found = [];
        await Wait.UntilAsync(async () =>
        {
            var rows = await server.WithDbAsync(db => db.ConversationEvents
                .Where(e => e.ConversationId == conversationId && e.Type == AutomationApplied.Name).OrderBy(e => e.Id).Select(e => e.Data!).ToListAsync());
            found = rows.Select(d => JsonDocument.Parse(d).RootElement).Select(e => (e.GetProperty("action").GetString()!, e.GetProperty("outcome").GetString()!)).ToList();
            return found.Count >= 2; // each rule has two actions, and only one rule matches each conversation
        }, "the rule's actions in the timeline");
        return found;
    }
}
