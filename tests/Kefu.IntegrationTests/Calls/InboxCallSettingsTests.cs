using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Calls.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Calls;

/// <summary>Per-inbox "visitors may call": the HTTP settings, what the widget is told, what the visitor hub refuses, and that agents may still call.</summary>
public sealed class InboxCallSettingsTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task AnInbox_AllowsOnlyTheCallsItsAdminTurnedOn_ToVisitors_WhileAgentsMayStillCall()
    {
        var key = await _server.DemoWidgetKeyAsync();
        var inboxId = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == key).Select(i => i.Id).SingleAsync());
        using var http = await _server.AgentHttpAsync();
        var url = $"/api/v1/inboxes/{inboxId}/calls";

        // No setting of its own: the server's (visitors may request, by default) for all three kinds.
        var initial = await http.GetFromJsonAsync<InboxCallSettingsDto>(url, Json);
        Assert.Equal(new InboxCallSettingsDto(true, true, true, true, true), initial);
        var session = await _server.NewVisitorAsync(key);
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        Assert.Equal(new VisitorCallMedia(true, true, true), (await visitor.InvokeAsync<HubResult<IceConfigDto>>("GetCallConfig")).Value!.VisitorMedia);

        // Voice only: stored, audited, and what the widget is told on its next ask.
        var put = await http.PutAsJsonAsync(url, new UpdateInboxCallSettingsRequest(true, false, false));
        put.EnsureSuccessStatusCode();
        Assert.Equal(new InboxCallSettingsDto(true, false, false, false, true), await put.Content.ReadFromJsonAsync<InboxCallSettingsDto>(Json));
        Assert.Equal(new InboxCallSettingsDto(true, false, false, false, true), await http.GetFromJsonAsync<InboxCallSettingsDto>(url, Json));
        Assert.True(await _server.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TargetId == inboxId.ToString() && a.Detail!.Contains("calls.visitors.video=false"))));
        var config = (await visitor.InvokeAsync<HubResult<IceConfigDto>>("GetCallConfig")).Value!;
        Assert.Equal((true, new VisitorCallMedia(true, false, false)), (config.VisitorsMayRequest, config.VisitorMedia));

        // The visitor's request for video or a screen share is refused with the typed error; a voice call rings.
        var conversationId = (await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "能打电话吗", null))).Value!.ConversationId;
        await using var agent = await _server.ConnectAgentAsync();
        Assert.True((await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversationId, new AgentSendMessage("a-1", "您好", null))).Ok);
        Assert.Equal("calls_not_allowed", (await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Video)).Error?.Code);
        Assert.Equal("calls_not_allowed", (await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Screen)).Error?.Code);
        var voice = await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice);
        Assert.True(voice.Ok, voice.Error?.Code);
        Assert.True((await visitor.InvokeAsync<HubResult<CallDto>>("HangUpCall", voice.Value!.Id, false)).Ok);

        // The agent may still offer a video call in the same inbox.
        var offered = await agent.InvokeAsync<HubResult<CallDto>>("OfferCall", conversationId, CallMedia.Video);
        Assert.True(offered.Ok, offered.Error?.Code);
        Assert.True((await agent.InvokeAsync<HubResult<CallDto>>("HangUpCall", offered.Value!.Id, false)).Ok);

        // Nothing at all: the widget hides its buttons.
        (await http.PutAsJsonAsync(url, new UpdateInboxCallSettingsRequest(false, false, false))).EnsureSuccessStatusCode();
        Assert.False((await visitor.InvokeAsync<HubResult<IceConfigDto>>("GetCallConfig")).Value!.VisitorsMayRequest);
        Assert.Equal("calls_not_allowed", (await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice)).Error?.Code);

        // Another workspace's inbox, an unknown id, a body that is not the request: refused, nothing stored.
        var (otherKey, otherAgent) = await _server.CreateOtherTenantAsync();
        var otherInbox = await _server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == otherKey).Select(i => i.Id).SingleAsync());
        foreach (var id in new[] { otherInbox, Guid.NewGuid() })
        {
            var refused = await http.PutAsJsonAsync($"/api/v1/inboxes/{id}/calls", new UpdateInboxCallSettingsRequest(true, true, true));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("inbox_not_found", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/v1/inboxes/{id}/calls")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsync(url, new StringContent("[1]", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.False(await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Calls.InboxCallSettings>().AnyAsync(s => s.InboxId == otherInbox)));

        // An agent without the settings permission may not read or change it.
        using var plain = await _server.AgentHttpAsync(await _server.AgentTokenAsync(otherAgent));
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PutAsJsonAsync($"/api/v1/inboxes/{otherInbox}/calls", new UpdateInboxCallSettingsRequest(true, true, true))).StatusCode);

        // Back to the server's setting: the row goes, all three follow the server again.
        (await http.PutAsJsonAsync(url, new UpdateInboxCallSettingsRequest(false, false, false, UseServerDefault: true))).EnsureSuccessStatusCode();
        Assert.Equal(new InboxCallSettingsDto(true, true, true, true, true), await http.GetFromJsonAsync<InboxCallSettingsDto>(url, Json));
        Assert.False(await _server.WithDbAsync(db => db.Set<Kefu.Server.Features.Calls.InboxCallSettings>().AnyAsync(s => s.InboxId == inboxId)));
    }

    [Fact]
    public async Task WithVisitorCallsOffServerWide_AnInboxThatAllowsVoice_StillLetsItsVisitorsCall()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Calls:VisitorsMayRequest"] = "false" } }.Start();
        var key = await server.DemoWidgetKeyAsync();
        var inboxId = await server.WithDbAsync(db => db.Inboxes.Where(i => i.WidgetKey == key).Select(i => i.Id).SingleAsync());
        using var http = await server.AgentHttpAsync();
        var session = await server.NewVisitorAsync(key);
        await using var visitor = await server.ConnectVisitorAsync(session.Token);
        var conversationId = (await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-1", "call me", null))).Value!.ConversationId;
        await using var agent = await server.ConnectAgentAsync();
        Assert.True((await agent.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", conversationId, new AgentSendMessage("a-1", "hello", null))).Ok);

        // The server's default: nobody may call.
        Assert.Equal("calls_not_allowed", (await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice)).Error?.Code);

        // The inbox's own setting wins over the default.
        (await http.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/calls", new UpdateInboxCallSettingsRequest(true, false, false))).EnsureSuccessStatusCode();
        Assert.Equal(new VisitorCallMedia(true, false, false), (await visitor.InvokeAsync<HubResult<IceConfigDto>>("GetCallConfig")).Value!.VisitorMedia);
        var voice = await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Voice);
        Assert.True(voice.Ok, voice.Error?.Code);
        Assert.Equal("calls_not_allowed", (await visitor.InvokeAsync<HubResult<CallDto>>("RequestCall", conversationId, CallMedia.Video)).Error?.Code);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
