using System.Net;
using System.Net.Http.Headers;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.IntegrationTests.Hosting;

/// <summary><c>/metrics</c> through real HTTP after real traffic on the hubs, and its gate (docs/operations.md).</summary>
public sealed class MetricsTests
{
    private const string Token = "metrics-token-for-tests-0123456789";

    [Fact]
    public async Task Metrics_AfterAVisitorMessageThroughTheHub_ExposeKefusInstruments_WithoutConversationLabels()
    {
        await using var server = new KefuFactory().Start();
        var session = await server.NewVisitorAsync();
        await using var visitor = await server.ConnectVisitorAsync(session.Token);

        var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "m-1", "metrics please", null));
        Assert.True(ack.Ok);

        using var http = server.Http(); // from 127.0.0.1: loopback may scrape by default
        // The outbox pass and the router's pass run after the commit, on the durable lane; under a loaded CI machine
        // (every test class at once, on PostgreSQL) that can take a while, so the bound is generous and a timeout
        // names what was still missing, with Kefu's lines of the last scrape.
        var scrape = "";
        var missing = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(45);
        do
        {
            scrape = await http.GetStringAsync("/metrics");
            missing.Clear();
            if (Value(scrape, "kefu_messages_committed_total", "sender=\"visitor\"") < 1)
            {
                missing.Add("kefu_messages_committed_total{sender=visitor}");
            }

            if (Value(scrape, "kefu_outbox_lag_seconds_count") < 1)
            {
                missing.Add("kefu_outbox_lag_seconds_count");
            }

            if (Value(scrape, "kefu_routing_queue_length") < 0)
            {
                missing.Add("kefu_routing_queue_length");
            }

            if (missing.Count > 0)
            {
                await Task.Delay(100);
            }
        }
        while (missing.Count > 0 && DateTime.UtcNow < deadline);

        Assert.True(missing.Count == 0, $"Missing after 45 s: {string.Join(", ", missing)}\n" +
            string.Join('\n', scrape.Split('\n').Where(l => l.StartsWith("kefu_", StringComparison.Ordinal))));

        Assert.True(Value(scrape, "kefu_message_ack_duration_seconds_count") >= 1, scrape);
        Assert.True(Value(scrape, "kefu_outbox_rows_total", "outcome=\"done\"") >= 1, scrape);
        Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal); // ASP.NET Core's meter
        Assert.Contains("signalr_server_active_connections", scrape, StringComparison.Ordinal); // the hub connection
        Assert.DoesNotContain(ack.Value!.ConversationId.ToString(), scrape, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(session.ContactId.ToString(), scrape, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_FromAnAddressOutsideTheAllowedNetworks_NeedTheToken()
    {
        await using var server = new KefuFactory
        {
            Settings = new Dictionary<string, string> { ["Kefu:Metrics:AllowedNetworks:0"] = "10.0.0.0/8", ["Kefu:Metrics:Token"] = Token },
        }.Start();
        using var http = server.Http();

        var none = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain("kefu_", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, "Bearer", Token + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, "Basic", Token)).StatusCode);
        var agentToken = await server.AgentTokenAsync(); // an admin's sign-in token is not the scrape token
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(http, "Bearer", agentToken)).StatusCode);

        var allowed = await GetAsync(http, "Bearer", Token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("# TYPE", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithoutAToken_AndFromOutsideTheAllowedNetworks_AreForbidden()
    {
        await using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Metrics:AllowedNetworks:0"] = "192.168.0.0/16" } }.Start();
        using var http = server.Http();

        var refused = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("kefu_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kefu:Metrics:Token", "short", "Kefu:Metrics:Token")]
    [InlineData("Kefu:Metrics:AllowedNetworks:0", "10.0.0.0/99", "Kefu:Metrics:AllowedNetworks")]
    public void Metrics_WithAWrongSetting_StopTheStart_NamingIt(string key, string value, string named)
    {
        using var server = new KefuFactory { Settings = new Dictionary<string, string> { [key] = value } };

        var error = Assert.ThrowsAny<Exception>(() => server.Start());

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string scheme, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, value);
        return http.SendAsync(request);
    }

    /// <summary>The sum of a series' samples whose labels contain <paramref name="label"/>; -1 when there is none.</summary>
    private static double Value(string scrape, string series, string label = "")
    {
        var found = scrape.Split('\n')
            .Where(l => (l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal)) && l.Contains(label, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return found.Count == 0 ? -1 : found.Sum();
    }
}
