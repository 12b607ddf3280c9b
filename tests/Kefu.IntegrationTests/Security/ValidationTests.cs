using System.Net;
using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Security;

public sealed class ValidationTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    public static TheoryData<string?, string, string> BadMessages => new()
    {
        { "", "ok-id", "text_empty" },
        { "   \n\t ", "ok-id", "text_empty" },
        { null, "ok-id", "text_empty" },
        { new string('长', MessageRules.MaxTextLength + 1), "ok-id", "text_too_long" },
        { "hello", "", "invalid_client_message_id" },
        { "hello", "has space", "invalid_client_message_id" },
        { "hello", new string('x', 65), "invalid_client_message_id" },
        { "hello", "<script>", "invalid_client_message_id" },
        { "hello", "bot:reserved", "invalid_client_message_id" },
    };

    [Theory]
    [MemberData(nameof(BadMessages))]
    public async Task VisitorSend_WithBadInput_ReturnsTypedError_AndStoresNothing(string? text, string clientId, string code)
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var result = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, clientId, text, null));

        Assert.False(result.Ok);
        Assert.Equal(code, result.Error!.Code);
        Assert.False(await _server.WithDbAsync(db => db.Conversations.AnyAsync(c => c.ContactId == session.ContactId)));
    }

    [Fact]
    public async Task VisitorSend_WithNullRequest_ReturnsInvalidRequest()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var result = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", (object?)null);

        Assert.Equal("invalid_request", result.Error!.Code);
    }

    [Fact]
    public async Task ScriptPayload_IsStoredAndReturnedVerbatim_AsText()
    {
        const string payload = "<img src=x onerror=alert(1)> <script>alert(2)</script>";
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "x-1", payload, null));
        using var http = await _server.AgentHttpAsync();
        var page = await http.GetFromJsonAsync<MessagePage>($"/api/v1/conversations/{ack.Value!.ConversationId}/messages", KefuFactory.Json);

        Assert.Equal(payload, Assert.Single(page!.Messages).Text);
    }

    [Fact]
    public async Task ControlCharacters_AreRemoved_AndLineBreaksKept()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);

        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "cc-1", "a\u0000b\u0007c\r\nd", null));

        Assert.Equal("abc\nd", ack.Value!.Message.Text);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, 0)]
    [InlineData(0, 501)]
    public async Task GetMessages_WithBadRange_ReturnsProblem(long afterSeq, int limit)
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "g-1", "hi", null));
        using var http = await _server.AgentHttpAsync();

        var response = await http.GetAsync($"/api/v1/conversations/{ack.Value!.ConversationId}/messages?afterSeq={afterSeq}&limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task AgentSendOverHttp_WithBadBody_ReturnsValidationProblem_AndStoresNothing()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "h-1", "hi", null));
        using var http = await _server.AgentHttpAsync();

        var empty = await http.PostAsJsonAsync($"/api/v1/conversations/{ack.Value!.ConversationId}/messages", new { clientMessageId = "h-a", text = " " });
        var malformed = await http.PostAsync($"/api/v1/conversations/{ack.Value.ConversationId}/messages", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("text_empty", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(1, await _server.WithDbAsync(db => db.Messages.CountAsync(m => m.ConversationId == ack.Value.ConversationId)));
    }

    [Fact]
    public async Task WidgetSession_WithUnknownKey_Is404_AndWithEmptyKey_Is400()
    {
        using var http = _server.Http();

        var unknown = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key = "no-such-inbox" });
        var empty = await http.PostAsJsonAsync("/api/v1/widget/sessions", new { key = (string?)null });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsHealthy()
    {
        using var http = _server.Http();

        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
