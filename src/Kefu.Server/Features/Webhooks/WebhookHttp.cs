using System.Diagnostics;
using System.Net;
using System.Text;

namespace Kefu.Server.Features.Webhooks;

/// <summary>What one POST to a receiver came to.</summary>
/// <param name="Status">The receiver's HTTP status; null when it never answered.</param>
/// <param name="Body">The start of its answer, as text.</param>
/// <param name="Error">Why it failed without an answer, or what was wrong with the answer; null when there is nothing to say.</param>
/// <param name="DurationMs">Real time taken.</param>
/// <param name="Refused">True when the address guard refused the address, so no request was sent.</param>
internal sealed record WebhookResponse(int? Status, string? Body, string? Error, int DurationMs, bool Refused = false)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// The one HTTP client webhooks go out through: every connection through <see cref="WebhookAddressGuard.ConnectAsync"/>,
/// no redirects (a 3xx is the receiver's answer, a failure), no proxy (it would connect for us, unchecked), no cookies,
/// no decompression (a small gzip answer must not become a large one). Each attempt has a deadline in real time and reads
/// at most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer.
/// </summary>
internal sealed class WebhookHttp : IDisposable
{
    private readonly HttpClient _client;

    public WebhookHttp(WebhookAddressGuard guard) =>
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxResponseHeadersLength = 32,
            ConnectCallback = guard.ConnectAsync,
        })
        {
            // Each attempt's own token is the deadline (see PostAsync).
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

    /// <summary>POSTs <paramref name="body"/> as JSON with <paramref name="headers"/>; never throws for the receiver's faults.</summary>
    public async Task<WebhookResponse> PostAsync(
        Uri uri, string body, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan timeout, int maxResponseBytes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        int Elapsed() => (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // Real time on purpose: a network deadline is about seconds on the wire, not the server's (possibly fake) clock.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.ParseAdd("Kefu-Webhooks/1.0");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        int? status = null;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            status = (int)response.StatusCode;
            var (text, cut) = await ReadStartAsync(response, maxResponseBytes, deadline.Token);
            var error = (int)response.StatusCode is >= 300 and < 400 ? "Redirect not followed." : cut ? $"The answer was longer than {maxResponseBytes / 1024} KB; the rest was not read." : null;
            return new WebhookResponse(status, text, error, Elapsed());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(status, null, $"No complete answer within {timeout.TotalSeconds:0.#} s.", Elapsed());
        }
        catch (HttpRequestException e)
        {
            var refused = FindRefusal(e);
            return new WebhookResponse(status, null, refused?.Message ?? "Could not reach the receiver: " + (e.HttpRequestError is HttpRequestError.Unknown ? e.Message : e.HttpRequestError.ToString()), Elapsed(),
                Refused: refused is not null);
        }
        catch (IOException e)
        {
            return new WebhookResponse(status, null, "The connection broke: " + e.Message, Elapsed());
        }
    }

    /// <summary>The first <paramref name="max"/> bytes of the answer as text, and whether there was more.</summary>
    private static async Task<(string Text, bool Cut)> ReadStartAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max];
        var read = 0;
        while (read < max && await stream.ReadAsync(buffer.AsMemory(read, max - read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        // One more byte tells "exactly max" from "more than max"; the rest is left unread and the connection dropped.
        var cut = read == max && await stream.ReadAsync(new byte[1], cancellationToken) > 0;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return (text.Length > WebhookRules.StoredResponseChars ? text[..WebhookRules.StoredResponseChars] : text, cut);
    }

    private static WebhookAddressRefusedException? FindRefusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is WebhookAddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    public void Dispose() => _client.Dispose();
}
