using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Bot;

/// <summary>
/// The bot's detected intent becomes a routing skill (its article's category, here <c>returns</c>), required in
/// the queue only when some agent of the workspace has it. Both tests set the admin's skills first: they share a server.
/// </summary>
public sealed class IntentSkillTests(BotServer fixture) : IClassFixture<BotServer>
{
    private readonly KefuFactory _server = fixture.Server;

    [Fact]
    public async Task Handoff_OfAReturnsQuestion_WhenAnAgentHasReturns_QueuesRequiringReturns()
    {
        await SetAdminSkillsAsync("returns");
        await using var agent = await _server.ConnectAgentAsync();

        var conversationId = await HandOffReturnsQuestionAsync();

        Assert.Equal("returns", (await TimelineDataAsync(conversationId, ConversationHandedOff.Name)).GetProperty("skill").GetString());
        Assert.Contains("returns", Skills(await TimelineDataAsync(conversationId, ConversationQueued.Name)));
    }

    [Fact]
    public async Task Handoff_OfAReturnsQuestion_WhenNoAgentHasReturns_QueuesWithoutIt()
    {
        await SetAdminSkillsAsync("");
        await using var agent = await _server.ConnectAgentAsync();

        var conversationId = await HandOffReturnsQuestionAsync();

        // The bot still names the skill; routing drops it so the visitor does not wait for an agent who does not exist.
        Assert.Equal("returns", (await TimelineDataAsync(conversationId, ConversationHandedOff.Name)).GetProperty("skill").GetString());
        Assert.DoesNotContain("returns", Skills(await TimelineDataAsync(conversationId, ConversationQueued.Name)));
    }

    private async Task SetAdminSkillsAsync(string skills)
    {
        var adminId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == KefuFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        using var http = await _server.AgentHttpAsync();

        var response = await http.PutAsJsonAsync($"/api/v1/agents/{adminId}/routing", new { skills });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await _server.WithDbAsync(db => db.AgentProfiles.Where(p => p.UserId == adminId).Select(p => p.Skills).SingleAsync());
        Assert.Equal(skills, stored);
    }

    /// <summary>Two misses in a row on a returns question: the bot hands off with the returns intent.</summary>
    private async Task<Guid> HandOffReturnsQuestionAsync()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        await visitor.AskAsync("退货退款");
        await visitor.AskAsync("退货退款");
        var conversationId = visitor.ConversationId;

        // Queued on the durable lane, after the hand-off commits.
        await Wait.UntilAsync(
            () => _server.WithDbAsync(db => db.ConversationEvents.AnyAsync(e => e.ConversationId == conversationId && e.Type == ConversationQueued.Name)),
            "the handed-off conversation to be queued");
        return conversationId;
    }

    private async Task<JsonElement> TimelineDataAsync(Guid conversationId, string type)
    {
        var rows = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversationId && e.Type == type).Select(e => e.Data).ToListAsync());
        return JsonDocument.Parse(Assert.Single(rows)!).RootElement;
    }

    /// <summary>The skill names a queued conversation requires (levels, <c>name:level</c>, left out).</summary>
    private static List<string> Skills(JsonElement queued) =>
        [.. queued.GetProperty("skills").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split(':')[0])];
}
