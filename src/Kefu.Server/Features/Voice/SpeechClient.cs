using System.Net.Http.Headers;
using System.Text.Json;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Voice;

/// <summary>How one transcription ended.</summary>
internal enum SpeechOutcome
{
    Ok,
    Timeout,
    Failed,
    TooLarge,
    Invalid,
}

/// <summary>
/// One call to an OpenAI-compatible <c>POST {endpoint}/audio/transcriptions</c>: multipart in (<c>file</c>, <c>model</c>,
/// <c>response_format=json</c>), <c>{"text": …}</c> out. Bounded by the workspace's timeout (the whole call, body
/// included) and by <see cref="VoiceRules.MaxResponseBytes"/>; neither the audio nor the words are logged.
/// </summary>
internal sealed partial class SpeechClient(IHttpClientFactory httpFactory, TimeProvider time, ILogger<SpeechClient> logger)
{
    public const string HttpClientName = "kefu-speech";

    public async Task<(string? Text, SpeechOutcome Outcome)> TranscribeAsync(
        VoiceSettings settings, string? apiKey, Stream audio, string fileName, string contentType, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(settings.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            using var form = new MultipartFormDataContent();
            var file = new StreamContent(audio);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(file, "file", fileName);
            form.Add(new StringContent(settings.Model), "model");
            form.Add(new StringContent("json"), "response_format");
            using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint + "/audio/transcriptions") { Content = form };
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Done(null, SpeechOutcome.Failed, (int)response.StatusCode);
            }

            if (response.Content.Headers.ContentLength > VoiceRules.MaxResponseBytes)
            {
                return Done(null, SpeechOutcome.TooLarge, 200);
            }

            var body = await ReadCappedAsync(await response.Content.ReadAsStreamAsync(linked.Token), linked.Token);
            if (body is null)
            {
                return Done(null, SpeechOutcome.TooLarge, 200);
            }

            var text = Parse(body);
            return text is null ? Done(null, SpeechOutcome.Invalid, 200) : Done(text, SpeechOutcome.Ok, 200);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Done(null, SpeechOutcome.Timeout, 0);
        }
        catch (HttpRequestException)
        {
            return Done(null, SpeechOutcome.Failed, 0);
        }

        (string?, SpeechOutcome) Done(string? text, SpeechOutcome outcome, int status)
        {
            // The outcome and the time only: never the audio, the words or the key.
            LogCall(logger, outcome, status, time.GetElapsedTime(started).TotalMilliseconds);
            return (text, outcome);
        }
    }

    /// <summary>The words of a <c>{"text": …}</c> answer, cleaned and cut to <see cref="Conversations.Contracts.TranscriptStates.MaxLength"/>; null when the answer is not that or has no words.</summary>
    public static string? Parse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var text = SafeText.MultiLine(value.GetString()).Trim();
            var max = Conversations.Contracts.TranscriptStates.MaxLength;
            return text.Length == 0 ? null : text.Length > max ? text[..max] : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var _ = stream;
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + n > VoiceRules.MaxResponseBytes)
            {
                return null; // cut off at the cap: a 10 MB answer never reaches memory whole
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transcription: {Outcome} (HTTP {Status}) in {Milliseconds} ms")]
    private static partial void LogCall(ILogger logger, SpeechOutcome outcome, int status, double milliseconds);
}
