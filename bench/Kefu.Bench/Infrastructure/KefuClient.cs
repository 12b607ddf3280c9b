using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Kefu.Bench.Infrastructure;

/// <summary>Talks to a Kefu server through its public protocol: demo page, widget sessions, sign-in, hubs.</summary>
public sealed partial class KefuClient(Uri url) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };

    public Uri Url => url;

    /// <summary>The inbox key from the demo page's script tag, exactly as a browser finds it.</summary>
    public async Task<string> DemoWidgetKeyAsync()
    {
        var html = await _http.GetStringAsync("/");
        return KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No widget key on the demo page.");
    }

    public async Task<WidgetSession> NewVisitorAsync(string key, string? token = null)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/widget/sessions", new { key, token });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WidgetSession>(Wire.Json))!;
    }

    public async Task<string> AgentTokenAsync(string email, string password)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Creates agent accounts through the admin API and returns their bearer tokens.</summary>
    public async Task<List<string>> CreateAgentsAsync(string adminToken, int count)
    {
        var tokens = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var email = $"bench-agent-{i}-{Guid.NewGuid():N}@kefu.local";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agents")
            {
                Content = JsonContent.Create(new { email, displayName = $"Agent {i}", password = ServerProcess.AdminPassword }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            (await _http.SendAsync(request)).EnsureSuccessStatusCode();
            tokens.Add(await AgentTokenAsync(email, ServerProcess.AdminPassword));
        }

        return tokens;
    }

    /// <summary>Server memory from the admin diagnostics endpoint; <paramref name="collect"/> runs a full compacting GC first.</summary>
    public async Task<(long WorkingSet, long ManagedHeap)> MemoryAsync(string adminToken, bool collect)
    {
        using var request = collect
            ? new HttpRequestMessage(HttpMethod.Post, "/api/v1/diagnostics/memory/collect")
            : new HttpRequestMessage(HttpMethod.Get, "/api/v1/diagnostics/memory");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("workingSetBytes").GetInt64(), json.GetProperty("managedHeapBytes").GetInt64());
    }

    public HubConnection VisitorHub(string token) => Hub("/hubs/visitor", token);

    public HubConnection AgentHub(string token) => Hub("/hubs/agent", token);

    public void Dispose() => _http.Dispose();

    private HubConnection Hub(string path, string token)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(url, path), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = Wire.Json);
        var connection = builder.Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        return connection;
    }

    [GeneratedRegex("data-kefu-key=\"([^\"]+)\"")]
    private static partial Regex KeyPattern();
}
