using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Contacts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Conversations;

public sealed class LifecycleTests
{
    [Fact]
    public async Task VisitorWritesLongAfterResolve_StartsNewConversation_AndContactShowsBoth()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = new KefuFactory { Clock = clock }.Start();
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var first = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "w-1", "first visit", null));
        using var http = await server.AgentHttpAsync();
        (await http.PostAsync($"/api/v1/conversations/{first.Value!.ConversationId}/resolve", null)).EnsureSuccessStatusCode();

        clock.Advance(TimeSpan.FromDays(3));
        var later = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(first.Value.ConversationId, "w-2", "back again", null));

        Assert.NotEqual(first.Value.ConversationId, later.Value!.ConversationId);
        Assert.Equal(1, later.Value.Seq);
        using var laterHttp = await server.AgentHttpAsync(); // a fresh token: the first one expired with the clock
        var contact = await laterHttp.GetFromJsonAsync<ContactDto>($"/api/v1/contacts/{session.ContactId}", KefuFactory.Json);
        Assert.Equal(2, contact!.Conversations.Count);
        Assert.Contains(contact.Conversations, c => c.Id == first.Value.ConversationId && c.Status == ConversationStatus.Resolved);
        var conversations = await visitor.InvokeAsync<HubResult<IReadOnlyList<VisitorConversationDto>>>("GetConversations");
        Assert.Equal([first.Value.ConversationId, later.Value.ConversationId], conversations.Value!.Select(c => c.Id));
    }

    [Fact]
    public async Task ServerRestart_KeepsMessagesAndVisitorToken()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
        Guid conversationId;
        string token;
        await using (var before = new KefuFactory(dataDirectory).Start())
        {
            token = (await before.NewVisitorAsync()).Token;
            await using var visitor = await before.ConnectVisitorAsync(token);
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "k-1", "kept", null));
            conversationId = ack.Value!.ConversationId;
        }

        await using var after = new KefuFactory(dataDirectory).Start();
        await using var again = await after.ConnectVisitorAsync(token);
        var page = await again.InvokeAsync<HubResult<MessagePage>>("GetMessages", conversationId, 0L, 100);
        var retry = await again.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "k-1", "kept", null));

        Assert.Equal("kept", Assert.Single(page.Value!.Messages).Text);
        Assert.True(retry.Value!.Duplicate);
        Assert.Equal(1, await after.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversationId)));
    }
}
