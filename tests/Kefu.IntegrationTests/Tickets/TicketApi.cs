using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Tickets;

/// <summary>Shortcuts for ticket tests: create, read, and a visitor's chat with its token.</summary>
internal static class TicketApi
{
    public static async Task<JsonElement> CreateTicketAsync(this HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/v1/tickets", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> TicketAsync(this HttpClient http, Guid id) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{id}");

    public static async Task<(string Code, string? Field, HttpStatusCode Status)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("code").GetString()!, body.TryGetProperty("field", out var f) ? f.GetString() : null, response.StatusCode);
    }

    /// <summary>A visitor's conversation, and the visitor still connected to write more.</summary>
    public static async Task<(Guid Conversation, HubConnection Visitor)> ChatAsync(this KefuFactory server, string text)
    {
        var session = await server.NewVisitorAsync();
        var visitor = await server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "v-" + Guid.NewGuid().ToString("N"), text, null));
        return (ack.Value!.ConversationId, visitor);
    }

    public static Task<HubResult<SendMessageResult>> SayAsync(this HubConnection visitor, Guid conversation, string text) =>
        visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(conversation, "v-" + Guid.NewGuid().ToString("N"), text, null));

    public static Guid Id(this JsonElement e) => e.GetProperty("id").GetGuid();

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
