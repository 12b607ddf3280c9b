using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>Limits of HTTP actions (<c>Kefu:Bot:Flows</c>).</summary>
public sealed class FlowOptions
{
    public const string Section = "Kefu:Bot:Flows";

    /// <summary>Deadline of one HTTP action, connect to last byte (1–30 s).</summary>
    [Kefu.Server.Hosting.TimeSpanRange("00:00:01", "00:00:30")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest answer read (1 KB–1 MB); a longer one is a failure.</summary>
    [System.ComponentModel.DataAnnotations.Range(1024, 1048576)]
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}

/// <summary>The workspace settings an HTTP action needs at run time.</summary>
/// <param name="BaseUrl">Joined to action URLs that are a path.</param>
/// <param name="Secret">The HMAC secret in clear, or null when none was generated.</param>
/// <param name="AllowedHosts">Hosts allowed despite a private address.</param>
/// <param name="SecretUnreadable">A secret is stored but this server's Data Protection keys cannot read it (keys lost or
/// not shared between nodes): requests to the merchant's API fail rather than go out unsigned.</param>
internal sealed record FlowHttpSettings(string BaseUrl, string? Secret, IReadOnlySet<string> AllowedHosts, bool SecretUnreadable = false);

/// <summary>
/// Sends HTTP actions: one client per set of allowed hosts (so a connection opened for a workspace that may reach a
/// private host is never pooled for one that may not), every connection through <see cref="FlowAddressGuard"/>, up to
/// three redirects (each new host checked on connect), no proxy, no cookies, no decompression, a deadline and a size limit.
/// </summary>
internal sealed class FlowHttp(IOptions<FlowOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public const string SignatureHeader = "Kefu-Signature";
    public const string TimestampHeader = "Kefu-Timestamp";

    /// <summary>
    /// <c>v1=</c> and the lowercase hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of
    /// <c>{timestamp}.{METHOD}.{path and query}.{body}</c> (docs/bot-flows.md shows the check).
    /// </summary>
    public static string Sign(string secret, long timestamp, string method, string pathAndQuery, string body)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{method}.{pathAndQuery}.{body}"));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// The URL of <paramref name="template"/> with variables filled, joined to the base URL when it is a path. In the
    /// path every value is escaped as (part of) one segment: a <c>/</c>, <c>\</c>, <c>?</c> or <c>%</c> in it is escaped, and
    /// a segment that a value leaves empty, <c>.</c> or <c>..</c> refuses the URL (<paramref name="error"/>), so a
    /// visitor's answer cannot move the request to another resource. In the query a value is one escaped parameter value.
    /// </summary>
    public static Uri? Resolve(string template, string baseUrl, IReadOnlyDictionary<string, string> variables, out string? error)
    {
        error = null;
        var cut = template.IndexOfAny(['?', '#']);
        var (path, rest) = cut < 0 ? (template, "") : (template[..cut], template[cut..]);
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (FlowValues.HasPlaceholder(segments[i]))
            {
                var filled = FlowValues.Fill(segments[i], variables, Uri.EscapeDataString);
                if (filled is "" or "." or "..")
                {
                    error = "A value put into the URL's path would leave a path segment empty, '.' or '..'; the request was not sent.";
                    return null;
                }

                segments[i] = filled;
            }
        }

        var url = string.Join('/', segments) + FlowValues.Fill(rest, variables, Uri.EscapeDataString);
        if (url.StartsWith('/'))
        {
            url = baseUrl.TrimEnd('/') + url;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    public async Task<FlowHttpResult> SendAsync(FlowStep step, FlowHttpSettings settings, IReadOnlyDictionary<string, string> variables, long timestamp, CancellationToken cancellationToken)
    {
        var uri = Resolve(step.Url!, settings.BaseUrl, variables, out var refused);
        if (uri is null)
        {
            return new(false, null, refused ?? "The URL is not an absolute http(s) URL (is the workspace's base URL set?).");
        }

        if (settings.SecretUnreadable && SameServer(uri, settings.BaseUrl))
        {
            return new(false, null, "The workspace's flow secret cannot be read on this server (its Data Protection keys changed): generate a new secret in the flow settings.");
        }

        var method = step.Method ?? "GET";
        var body = method == "POST" ? JsonSerializer.Serialize(variables.Where(v => v.Key is not ("last_input" or "http_error")).ToDictionary()) : "";
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (method == "POST")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.UserAgent.ParseAdd("Kefu-Flows/1.0");
        request.Headers.Accept.ParseAdd("application/json");
        // Signed only for the workspace's own API (the base URL's scheme, host and port): a flow may also call someone
        // else's API, and a signature sent there could be replayed to the merchant. A signed request follows no
        // redirect, so the headers never travel to another host either.
        var signed = settings.Secret is not null && SameServer(uri, settings.BaseUrl);
        if (signed && settings.Secret is { } secret)
        {
            request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, timestamp, method, uri.PathAndQuery, body));
        }

        // Real time on purpose: a network deadline is about seconds on the wire, not the server's (possibly fake) clock.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.HttpTimeout);
        try
        {
            using var response = await Client(settings.AllowedHosts, followRedirects: !signed).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new(false, null, $"HTTP {(int)response.StatusCode}.");
            }

            var (bytes, tooLong) = await ReadAsync(response, options.Value.MaxResponseBytes, deadline.Token);
            if (tooLong)
            {
                return new(false, null, $"The answer is longer than {options.Value.MaxResponseBytes} bytes.");
            }

            return new(true, bytes.Length == 0 ? null : JsonNode.Parse(bytes), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, null, $"No answer within {options.Value.HttpTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return new(false, null, Refusal(e)?.Message ?? "Could not reach the host: " + e.HttpRequestError);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return new(false, null, "The answer is not JSON or the connection broke.");
        }
    }

    private static async Task<(byte[] Bytes, bool TooLong)> ReadAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > max)
        {
            return ([], true);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max + 1];
        var read = 0;
        while (read <= max && await stream.ReadAsync(buffer.AsMemory(read, max + 1 - read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        return read > max ? ([], true) : (buffer[..read], false);
    }

    private static FlowAddressRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is FlowAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="uri"/> is on the base URL's server (scheme, host and port).</summary>
    public static bool SameServer(Uri uri, string baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var root)
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), root.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    private HttpClient Client(IReadOnlySet<string> allowed, bool followRedirects) =>
        _clients.GetOrAdd((followRedirects ? "follow " : "stay ") + string.Join(' ', allowed.Order(StringComparer.Ordinal)), _ => new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            MaxAutomaticRedirections = 3,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 32,
            ConnectCallback = new FlowAddressGuard(allowed).ConnectAsync,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
