using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Conversations;

public sealed class MessagePathTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task VisitorMessage_IsAckedAfterCommit_AndReachesAgentLive()
    {
        await using var agent = await _server.ConnectAgentAsync();
        var agentMessages = new Events<MessageDto>(agent, "MessageCreated");
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "你好 hello 👋", null));

        Assert.True(ack.Ok);
        Assert.Equal(1, ack.Value!.Seq);
        var stored = await _server.WithDbAsync(db => db.Messages.SingleAsync(m => m.Id == ack.Value.MessageId));
        Assert.Equal("你好 hello 👋", stored.Text);
        var live = await agentMessages.WaitAsync(m => m.Id == ack.Value.MessageId);
        Assert.Equal(SenderType.Visitor, live.Sender);
    }

    [Fact]
    public async Task AgentReply_ReachesVisitorLive_WithNextSeq()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var visitorMessages = new Events<MessageDto>(visitor, "MessageCreated");
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-1", "Where is my order?", null));
        await using var agent = await _server.ConnectAgentAsync();

        var reply = await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", first.Value!.ConversationId, new AgentSendMessage("a-1", "It ships today.", null));

        Assert.True(reply.Ok);
        Assert.Equal(2, reply.Value!.Seq);
        var live = await visitorMessages.WaitAsync(m => m.Id == reply.Value.MessageId);
        Assert.Equal("It ships today.", live.Text);
        Assert.Equal("Admin", live.SenderName);
    }

    [Fact]
    public async Task Retry_WithSameClientMessageId_StoresOnce_AndReturnsFirstAck()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var request = new VisitorSendMessage(null, "retry-1", "only once", null);

        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", request);
        var second = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", request);

        Assert.False(first.Value!.Duplicate);
        Assert.True(second.Value!.Duplicate);
        Assert.Equal(first.Value.MessageId, second.Value.MessageId);
        Assert.Equal(first.Value.Seq, second.Value.Seq);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == first.Value.ConversationId)));
    }

    [Fact]
    public async Task ParallelSends_FromManyVisitors_NumberEachConversationWithoutGaps()
    {
        var visitors = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            var session = await _server.NewVisitorAsync();
            return await _server.ConnectVisitorAsync(session.Token);
        }));

        var acks = await Task.WhenAll(visitors.SelectMany((v, i) => Enumerable.Range(0, 15).Select(n =>
            v.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, $"p-{i}-{n}", $"message {n}", null)))));

        Assert.All(acks, a => Assert.True(a.Ok));
        foreach (var conversation in acks.GroupBy(a => a.Value!.ConversationId))
        {
            var seqs = await _server.WithDbAsync(db => db.Messages.Where(m => m.ConversationId == conversation.Key).Select(m => m.Seq).OrderBy(s => s).ToListAsync());
            Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), seqs);
        }

        Assert.Equal(12, acks.Select(a => a.Value!.ConversationId).Distinct().Count());
        foreach (var v in visitors)
        {
            await v.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resolve_ThenVisitorWrites_ReopensTheSameConversation()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var updates = new Events<ConversationStatusEvent>(visitor, "ConversationUpdated");
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "r-1", "help", null));
        var conversationId = first.Value!.ConversationId;
        using var http = await _server.AgentHttpAsync();

        var resolved = await http.PostAsync($"/api/v1/conversations/{conversationId}/resolve", null);
        resolved.EnsureSuccessStatusCode();
        await updates.WaitAsync(u => u.Status == ConversationStatus.Resolved);
        var again = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(conversationId, "r-2", "one more thing", null));

        Assert.Equal(conversationId, again.Value!.ConversationId);
        Assert.Equal(2, again.Value.Seq);
        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == conversationId));
        Assert.Equal(ConversationStatus.Open, conversation.Status);
        // Routing's queue steps (conversation.queued) arrive on the durable lane, at their own pace: not this test's subject.
        var events = await _server.WithDbAsync(db => db.ConversationEvents.Where(e => e.ConversationId == conversationId && e.Type != "conversation.queued")
            .OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());
        Assert.Equal(["conversation.created", "conversation.resolved", "conversation.reopened"], events);
    }

    [Fact]
    public async Task Reconnect_ResyncsFromLastSeq_WithoutGapOrDuplicate()
    {
        var session = await _server.NewVisitorAsync();
        var visitor = await _server.ConnectVisitorAsync(session.Token);
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "s-1", "first", null));
        var conversationId = first.Value!.ConversationId;
        var lastSeen = first.Value.Seq;
        await visitor.DisposeAsync(); // the socket drops

        using var http = await _server.AgentHttpAsync();
        for (var i = 0; i < 3; i++)
        {
            var r = await http.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/messages", new AgentSendMessage($"offline-{i}", $"reply {i}", null), KefuFactory.Json);
            r.EnsureSuccessStatusCode();
        }

        await using var again = await _server.ConnectVisitorAsync(session.Token);
        var page = await again.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversationId, lastSeen, 100);

        Assert.Equal([2L, 3L, 4L], page.Value!.Messages.Select(m => m.Seq));
        Assert.Equal(["reply 0", "reply 1", "reply 2"], page.Value.Messages.Select(m => m.Text));
        Assert.False(page.Value.HasMore);
    }

    [Fact]
    public async Task AgentReply_AssignsTheConversation_AndClearsUnread()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "u-1", "one", null));
        var second = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "u-2", "two", null));
        var id = second.Value!.ConversationId;
        Assert.Equal(2, await _server.WithDbAsync(db => db.Conversations.Where(c => c.Id == id).Select(c => c.UnreadCount).SingleAsync()));
        await using var agent = await _server.ConnectAgentAsync();

        await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", id, new AgentSendMessage("u-a", "hi", null));

        var conversation = await _server.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Id == id));
        Assert.Equal(0, conversation.UnreadCount);
        Assert.Equal(ConversationHandler.Agent, conversation.Handler);
        Assert.NotNull(conversation.AssigneeId);
    }

    [Fact]
    public async Task ListConversations_ShowsNewestFirst_WithUnreadAndPreview()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var sent = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "l-1", "newest question\nsecond line", null));
        using var http = await _server.AgentHttpAsync();

        var list = await http.GetFromJsonAsync<List<ConversationDto>>("/api/v1/conversations?status=open", KefuFactory.Json);

        var top = list![0];
        Assert.Equal(sent.Value!.ConversationId, top.Id);
        Assert.Equal("newest question", top.LastMessagePreview);
        Assert.Equal(1, top.UnreadCount);
        Assert.StartsWith("Visitor ", top.ContactName);
    }

    [Fact]
    public async Task AfterAnAgentClaimsAConversation_OnlyThatAgentGetsItsMessages()
    {
        await using var owner = await _server.ConnectAgentAsync();
        var otherEmail = await _server.CreateAgentInDemoTenantAsync();
        await using var other = await _server.ConnectAgentAsync(await _server.AgentTokenAsync(otherEmail));
        var ownerMessages = new Events<MessageDto>(owner, "MessageCreated");
        var otherMessages = new Events<MessageDto>(other, "MessageCreated");
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "o-1", "anyone there?", null));
        await otherMessages.WaitAsync(m => m.Id == first.Value!.MessageId); // unassigned: every agent sees it

        await owner.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", first.Value!.ConversationId, new AgentSendMessage("o-a", "I am", null));
        var second = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "o-2", "thanks", null));
        await ownerMessages.WaitAsync(m => m.Id == second.Value!.MessageId);
        var marker = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "o-3", "bye", null));
        await ownerMessages.WaitAsync(m => m.Id == marker.Value!.MessageId);

        Assert.DoesNotContain(otherMessages.Seen, m => m.Id == second.Value!.MessageId || m.Id == marker.Value!.MessageId);
    }
}
