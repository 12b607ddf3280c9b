using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.WeChat;

/// <summary>WeChat's answer to an API call: <c>errcode</c> 0 is success.</summary>
internal sealed record WeChatResult(
    [property: JsonPropertyName("errcode")] int ErrorCode,
    [property: JsonPropertyName("errmsg")] string? ErrorMessage,
    [property: JsonPropertyName("access_token")] string? AccessToken = null,
    [property: JsonPropertyName("expires_in")] int ExpiresIn = 0)
{
    /// <summary>The access token is not valid (40001), expired (42001) or not a token at all (40014): refresh it once and retry.</summary>
    public bool TokenRejected => ErrorCode is 40001 or 42001 or 40014;

    /// <summary>The 48-hour window after the person's last message is over (45015): nothing can reach them until they write.</summary>
    public bool WindowClosed => ErrorCode == 45015;
}

/// <summary>
/// The Official Account API calls the channel makes: the access token and the customer-service message. The base
/// address comes from <see cref="WeChatOptions.ApiBaseUrl"/>. Secrets travel only in the query WeChat requires and
/// are never logged.
/// </summary>
internal sealed class WeChatApi(IOptions<WeChatOptions> options) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private string Base => options.Value.ApiBaseUrl.TrimEnd('/');

    /// <summary><c>GET /cgi-bin/token</c>: a new access token for the app (and the old one stops working shortly after).</summary>
    public async Task<WeChatResult> FetchTokenAsync(string appId, string secret, CancellationToken cancellationToken)
    {
        var url = $"{Base}/cgi-bin/token?grant_type=client_credential&appid={Uri.EscapeDataString(appId)}&secret={Uri.EscapeDataString(secret)}";
        return await ReadAsync(await _http.GetAsync(url, cancellationToken), cancellationToken);
    }

    /// <summary><c>POST /cgi-bin/message/custom/send</c>: one customer-service message.</summary>
    public async Task<WeChatResult> SendAsync(string accessToken, JsonObject message, CancellationToken cancellationToken)
    {
        var url = $"{Base}/cgi-bin/message/custom/send?access_token={Uri.EscapeDataString(accessToken)}";
        return await ReadAsync(await _http.PostAsJsonAsync(url, message, cancellationToken), cancellationToken);
    }

    private static async Task<WeChatResult> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            // WeChat answers errors with 200 and an errcode; a non-2xx is a gateway or network fault, retried by the outbox.
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<WeChatResult>(cancellationToken)
                   ?? throw new HttpRequestException("WeChat answered with an empty body.");
        }
    }

    public void Dispose() => _http.Dispose();
}
