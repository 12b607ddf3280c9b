using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Bot;

/// <summary>A server whose demo inbox has the bot on, shared by the tests of a class.</summary>
public sealed class BotServer : IAsyncLifetime
{
    public KefuFactory Server { get; } = new() { Bot = true };

    public Task InitializeAsync()
    {
        Server.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A widget visitor talking to the bot: sends and waits for the bot's reply to that message.</summary>
public sealed class BotVisitor : IAsyncDisposable
{
    private readonly HubConnection _hub;

    private BotVisitor(HubConnection hub, string token)
    {
        _hub = hub;
        Token = token;
        Messages = new Events<MessageDto>(hub, "MessageCreated");
    }

    /// <summary>The visitor's hub connection, for calls the helpers do not wrap.</summary>
    public HubConnection Hub => _hub;

    public Events<MessageDto> Messages { get; }

    /// <summary>The visitor's token (uploads go through HTTP with it).</summary>
    public string Token { get; }
    public Guid ConversationId { get; private set; }

    public static async Task<BotVisitor> StartAsync(KefuFactory server, string? widgetKey = null)
    {
        var session = await server.NewVisitorAsync(widgetKey);
        return new BotVisitor(await server.ConnectVisitorAsync(session.Token), session.Token);
    }

    /// <summary>Sends <paramref name="text"/> and returns the bot's (first) reply to it.</summary>
    public async Task<MessageDto> AskAsync(string text, string? clientId = null)
    {
        var ack = await _hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, clientId ?? Guid.NewGuid().ToString("N"), text, null));
        Assert.True(ack.Ok, ack.Error?.Code);
        return await ReplyToAsync(ack.Value!);
    }

    /// <summary>Presses a button under a bot message and returns the bot's reply to the press.</summary>
    public async Task<MessageDto> ChooseAsync(MessageDto botMessage, string actionId)
    {
        var ack = await ChooseRawAsync(botMessage.ConversationId, botMessage.Id, actionId);
        Assert.True(ack.Ok, ack.Error?.Code);
        return await ReplyToAsync(ack.Value!);
    }

    public Task<HubResult<SendMessageResult>> ChooseRawAsync(Guid conversationId, Guid messageId, string actionId) =>
        _hub.InvokeAsync<HubResult<SendMessageResult>>("ChooseAction", conversationId, messageId, actionId);

    public Task<HubResult<SendMessageResult>> SendAsync(VisitorSendMessage message) =>
        _hub.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", message);

    public async Task<MessageDto> ReplyToAsync(SendMessageResult ack)
    {
        ConversationId = ack.ConversationId;
        var clientId = "bot:" + ack.MessageId.ToString("N");
        return await Messages.WaitAsync(m => m.Sender == SenderType.Bot && m.ClientMessageId == clientId, timeoutSeconds: 20);
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();
}

/// <summary>Reads what the bot left behind.</summary>
internal static class BotAssertions
{
    public static MessageAction Action(MessageDto message, string kind) =>
        Assert.Single(message.Actions ?? [], a => a.Kind == kind);

    public static async Task<HandoffPacketDto> PacketAsync(KefuFactory server, Guid conversationId)
    {
        using var http = await server.AgentHttpAsync();
        // The packet commits right after the bot's last reply: wait for it (a 404 until then).
        var response = await Wait.ForAsync(() => http.GetAsync($"/api/v1/conversations/{conversationId}/handoff"), r => r.IsSuccessStatusCode,
            "a hand-off packet for the conversation");
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<HandoffPacketDto>(response.Content, KefuFactory.Json))!;
    }
}
