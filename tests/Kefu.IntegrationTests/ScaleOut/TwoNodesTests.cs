using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.ScaleOut;

/// <summary>
/// Two server nodes on one PostgreSQL database, with Redis as the SignalR backplane and a shared
/// data folder (data-protection keys): a visitor on one node and an agent on the other talk live.
/// Runs in the PostgreSQL pass of scripts/test.sh, which starts both servers.
/// </summary>
[Trait("Category", "ScaleOut")]
public sealed class TwoNodesTests
{
    [Fact]
    public async Task VisitorOnOneNode_AndAgentOnAnother_ExchangeMessagesLive()
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KEFU_TEST_POSTGRES")), "needs KEFU_TEST_POSTGRES (scripts/test.sh sets it)");
        var shared = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
        await using var nodeA = new KefuFactory(shared) { UseRedis = true }.Start();
        await using var nodeB = new KefuFactory(shared) { UseRedis = true }.Start();

        var session = await nodeA.NewVisitorAsync();
        await using var visitor = await nodeA.ConnectVisitorAsync(session.Token);
        var visitorMessages = new Events<MessageDto>(visitor, "MessageCreated");
        await using var agent = await nodeB.ConnectAgentAsync(await nodeB.AgentTokenAsync());
        var agentMessages = new Events<MessageDto>(agent, "MessageCreated");
        // The hub answers calls only once OnConnectedAsync (access lookup, group joins through Redis) has finished:
        // one round trip means the agent is in its groups before the visitor writes.
        Assert.True((await agent.InvokeAsync<HubResult<IReadOnlyList<ConversationDto>>>("ListConversations", ConversationFilter.Open, 1)).Ok);

        var sent = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "n-1", "from node A", null));
        var received = await agentMessages.WaitAsync(m => m.Id == sent.Value!.MessageId);
        var reply = await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", received.ConversationId, new AgentSendMessage("n-2", "from node B", null));
        var back = await visitorMessages.WaitAsync(m => m.Id == reply.Value!.MessageId);

        Assert.Equal("from node A", received.Text);
        Assert.Equal("from node B", back.Text);
        Assert.Equal(2, back.Seq);
    }
}
