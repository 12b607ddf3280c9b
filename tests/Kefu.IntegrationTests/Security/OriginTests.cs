using System.Net;
using System.Net.WebSockets;
using System.Text;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.IntegrationTests.Security;

/// <summary>
/// The console cookie is sent by the browser from any page of the same site (SameSite=Lax), so
/// everything it authorizes must check where the request comes from: the agent hub, the console's
/// circuit, and every request that changes state.
/// </summary>
public sealed class OriginTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    /// <summary>An attacking page: another site, the same host on another port, or a sibling subdomain.</summary>
    public static TheoryData<string> OtherOrigins => ["foreign", "sibling-port", "sibling-subdomain"];

    [Theory]
    [MemberData(nameof(OtherOrigins))]
    public async Task AgentHubNegotiate_WithConsoleCookie_FromAnotherOrigin_Is403(string from)
    {
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        using var http = ConsoleSession.RawClient(_server);

        var agentHub = await http.SendAsync(Request(HttpMethod.Post, "/hubs/agent/negotiate?negotiateVersion=1", cookie, from));
        var console = await http.SendAsync(Request(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1", cookie, from));
        var ownOrigin = await http.SendAsync(Request(HttpMethod.Post, "/hubs/agent/negotiate?negotiateVersion=1", cookie, "own"));

        Assert.Equal(HttpStatusCode.Forbidden, agentHub.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, console.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownOrigin.StatusCode);
    }

    [Theory]
    [InlineData("foreign")]
    [InlineData("sibling-port")]
    public async Task AgentHubWebSocket_WithConsoleCookie_FromAnotherOrigin_IsRefused(string from)
    {
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);

        var (refused, status) = await OpenAgentSocketAsync(cookie, OriginFor(from));

        Assert.Null(refused);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task AgentHubWebSocket_WithConsoleCookie_FromOwnOrigin_Works()
    {
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);

        var (socket, status) = await OpenAgentSocketAsync(cookie, ConsoleSession.OwnOrigin(_server));
        using var open = socket;
        var reply = await InvokeListConversationsAsync(socket!);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.Contains("\"ok\":true", reply);
    }

    [Fact]
    public async Task AgentHub_WithBearerToken_IsNotAffectedByOrigin()
    {
        var token = await _server.AgentTokenAsync();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, "/hubs/agent"), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Headers["Origin"] = "https://evil.example";
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = KefuFactory.Json)
            .Build();

        await hub.StartAsync();
        var list = await hub.InvokeAsync<HubResult<IReadOnlyList<ConversationDto>>>("ListConversations", ConversationFilter.All, 10);

        Assert.True(list.Ok);
    }

    [Theory]
    [MemberData(nameof(OtherOrigins))]
    public async Task CookieFormPosts_FromAnotherOrigin_AreRefused_AndChangeNothing(string from)
    {
        var conversation = await NewConversationAsync();
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        var attachmentsBefore = await _server.WithDbAsync(db => db.Attachments.CountAsync());
        using var http = ConsoleSession.RawClient(_server);

        var responses = new Dictionary<string, HttpResponseMessage>();
        foreach (var path in new[]
                 {
                     $"/api/v1/conversations/{conversation}/resolve", $"/api/v1/conversations/{conversation}/reopen",
                     $"/api/v1/conversations/{conversation}/read", $"/api/v1/conversations/{conversation}/messages",
                     "/api/v1/attachments", "/api/v1/diagnostics/memory/collect", "/console/logout",
                 })
        {
            var request = Request(HttpMethod.Post, path, cookie, from);
            request.Content = path.EndsWith("/attachments", StringComparison.Ordinal)
                ? new MultipartFormDataContent { { new ByteArrayContent("hello"u8.ToArray()), "file", "note.txt" } }
                : new FormUrlEncodedContent(new Dictionary<string, string> { ["clientMessageId"] = "csrf-1", ["text"] = "forged" });
            responses[path] = await http.SendAsync(request);
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Forbidden, r.Value.StatusCode));
        Assert.DoesNotContain(responses.Values, r => r.Headers.Contains("Set-Cookie"));
        var stored = await _server.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync(c => c.Id == conversation));
        Assert.Equal(ConversationStatus.Open, stored.Status);
        Assert.Equal(1, stored.LastSeq);
        Assert.Equal(attachmentsBefore, await _server.WithDbAsync(db => db.Attachments.CountAsync()));
    }

    [Fact]
    public async Task CookiePost_WithoutOrigin_FromSameSiteButNotSameOrigin_IsRefused()
    {
        var conversation = await NewConversationAsync();
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        using var http = ConsoleSession.RawClient(_server);
        var request = Request(HttpMethod.Post, $"/api/v1/conversations/{conversation}/resolve", cookie, "none");
        request.Headers.Add("Sec-Fetch-Site", "same-site");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_FromOwnOrigin_Works()
    {
        var conversation = await NewConversationAsync();
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        using var http = ConsoleSession.RawClient(_server);
        var sameOrigin = Request(HttpMethod.Post, $"/api/v1/conversations/{conversation}/resolve", cookie, "own");
        var fetchMetadataOnly = Request(HttpMethod.Post, $"/api/v1/conversations/{conversation}/reopen", cookie, "none");
        fetchMetadataOnly.Headers.Add("Sec-Fetch-Site", "same-origin");

        var resolved = await http.SendAsync(sameOrigin);
        var reopened = await http.SendAsync(fetchMetadataOnly);

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
    }

    [Fact]
    public async Task CookiePost_FromHttpsPageOfTheSameHost_Works()
    {
        // Behind a TLS proxy that forwards plain HTTP, the console's page is https:// on Kefu's own host.
        var conversation = await NewConversationAsync();
        var cookie = await ConsoleSession.CookieHeaderAsync(_server);
        using var http = ConsoleSession.RawClient(_server);
        var request = Request(HttpMethod.Post, $"/api/v1/conversations/{conversation}/resolve", cookie, "none");
        request.Headers.Add("Origin", "https://" + _server.BaseAddress.Authority);

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BearerPost_FromForeignOrigin_IsNotAffected()
    {
        var conversation = await NewConversationAsync();
        using var http = await _server.AgentHttpAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{conversation}/resolve");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<Guid> NewConversationAsync()
    {
        var session = await _server.NewVisitorAsync();
        await using var visitor = await _server.ConnectVisitorAsync(session.Token);
        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "o-1", "hello", null));
        return ack.Value!.ConversationId;
    }

    private string OriginFor(string from) => from switch
    {
        "foreign" => "https://evil.example",
        "sibling-port" => ConsoleSession.SiblingPortOrigin(_server),
        "sibling-subdomain" => $"http://shop.example.test:{_server.BaseAddress.Port}",
        "own" => ConsoleSession.OwnOrigin(_server),
        _ => throw new ArgumentOutOfRangeException(nameof(from)),
    };

    /// <summary>A browser-like request with the console cookie. For a sibling subdomain, Kefu is reached as kefu.example.test.</summary>
    private HttpRequestMessage Request(HttpMethod method, string path, string cookie, string from)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookie);
        if (from == "sibling-subdomain")
        {
            request.Headers.Host = $"kefu.example.test:{_server.BaseAddress.Port}";
        }

        if (from != "none")
        {
            request.Headers.Add("Origin", OriginFor(from));
        }

        return request;
    }

    private async Task<(ClientWebSocket? Socket, HttpStatusCode Status)> OpenAgentSocketAsync(string cookie, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", origin);
        var uri = new UriBuilder(new Uri(_server.BaseAddress, "/hubs/agent")) { Scheme = "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
            return (socket, socket.HttpStatusCode);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }
    }

    /// <summary>SignalR's JSON protocol by hand: handshake, then one invocation; returns the completion frame.</summary>
    private static async Task<string> InvokeListConversationsAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        await socket.SendAsync("{\"type\":1,\"invocationId\":\"1\",\"target\":\"ListConversations\",\"arguments\":[\"all\",10]}\u001e"u8.ToArray(),
            WebSocketMessageType.Text, true, timeout.Token);
        var received = new StringBuilder();
        var buffer = new byte[8192];
        while (!received.ToString().Contains("\"type\":3", StringComparison.Ordinal))
        {
            var chunk = await socket.ReceiveAsync(buffer, timeout.Token);
            received.Append(Encoding.UTF8.GetString(buffer, 0, chunk.Count));
        }

        return received.ToString();
    }
}
