using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Kefu.IntegrationTests.Bot;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Voice;
using Kefu.Server.Features.Voice.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Kefu.IntegrationTests.Voice;

/// <summary>A server with the bot on and an OpenAI-compatible speech endpoint beside it.</summary>
public sealed class VoiceServer : IAsyncLifetime
{
    public KefuFactory Server { get; } = new() { Bot = true };

    internal FakeSpeechServer Speech { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Speech = await FakeSpeechServer.StartAsync();
        Server.Start();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Speech.DisposeAsync();
    }
}

/// <summary>Voice messages (issue 19, ADR 0039) over HTTP, the visitor hub, the durable lane and a local speech endpoint.</summary>
public sealed class VoiceMessageTests(VoiceServer fixture) : IClassFixture<VoiceServer>
{
    private const string Secret = "sk-speech-4242";
    private const string Ambiguous = "退货退款"; // the offline engine offers choices for it (BotAnswerTests)
    private readonly KefuFactory _server = fixture.Server;
    private readonly FakeSpeechServer _speech = fixture.Speech;

    /// <summary>
    /// The audio check: a voice message must be Opus/Vorbis in WebM or Ogg by its bytes, within the length limit; a
    /// renamed text file, a picture claiming a length, a video WebM, a zero or over-long length are refused with their
    /// code and nothing is stored.
    /// </summary>
    [Fact]
    public async Task Upload_AcceptsRecordedAudio_AndRefusesWhatIsNotAudioOrTooLong()
    {
        var session = await _server.NewVisitorAsync();
        using var http = VisitorHttp(session.Token);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        foreach (var (bytes, name, duration, code) in new (byte[], string, string?, string)[]
                 {
                     (Encoding.UTF8.GetBytes("not audio at all, just words"), "voice.webm", "3000", "attachment_not_audio"),
                     (Encoding.UTF8.GetBytes("renamed"), "voice.ogg", null, "attachment_not_audio"),
                     (png, "photo.png", "3000", "attachment_not_audio"),
                     (VoiceSamples.Webm(codec: "V_VP8"), "voice.webm", "3000", "attachment_not_audio"),
                     (VoiceSamples.Webm(), "voice.webm", "0", "voice_too_long"),
                     (VoiceSamples.Webm(), "voice.webm", "120001", "voice_too_long"),
                     (VoiceSamples.Webm(), "voice.webm", "-5", "voice_too_long"),
                 })
        {
            var response = await http.PostAsync("/api/v1/attachments", Form(bytes, name, duration));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(code, (await response.Content.ReadFromJsonAsync<ProblemBody>())!.Code);
        }

        Assert.False(await _server.WithDbAsync(db => db.Attachments.AnyAsync(a => a.UploaderContactId == session.ContactId)));

        var webm = await UploadAsync(http, VoiceSamples.Webm(), "voice.webm", 4200);
        Assert.Equal(("audio/webm", 4200, false), (webm.ContentType, webm.DurationMs, webm.IsImage));
        var ogg = await UploadAsync(http, VoiceSamples.Ogg(), "voice.ogg", 120_000);
        Assert.Equal(("audio/ogg", 120_000), (ogg.ContentType, ogg.DurationMs));
        var download = await _server.Http().GetAsync(webm.Url);
        Assert.Equal("audio/webm", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(VoiceSamples.Webm(), await download.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// One walk through transcription in a workspace: without a speech endpoint the bot says it passes the voice message
    /// to a person and hands off; bad settings are refused with nothing stored and the key is sealed and never returned;
    /// with the endpoint the words are stored, pushed live to the visitor and answered by the bot as if typed; a hanging
    /// endpoint (past its 1 s timeout) and garbage leave the message audio only, and the bot hands off again.
    /// </summary>
    [Fact]
    public async Task Transcription_GivesTheWordsToTheBot_AndWithoutWordsTheBotHandsOff()
    {
        using var admin = await _server.AgentHttpAsync();
        Assert.False((await admin.GetFromJsonAsync<VoiceSettingsDto>("/api/v1/workspace/voice", KefuFactory.Json))!.Enabled);

        // No endpoint: audio only, and the bot hands the voice message to a person.
        var (unavailable, reply) = await SendVoiceAsync();
        Assert.Equal(TranscriptStates.Unavailable, unavailable.TranscriptState);
        Assert.Null(unavailable.Transcript);
        Assert.Contains("语音", reply.Text, StringComparison.Ordinal); // no words to tell the language by: the bot's default, Chinese
        Assert.Equal(HandoffReasons.Voice, (await BotAssertions.PacketAsync(_server, reply.ConversationId)).Reason);
        Assert.Empty(_speech.Requests);

        foreach (var (body, code) in new (object, string)[]
                 {
                     (Settings(endpoint: "file:///etc/passwd"), "invalid_speech_endpoint"),
                     (Settings(endpoint: "http://user:pw@127.0.0.1/v1"), "invalid_speech_endpoint"),
                     (Settings(model: ""), "invalid_speech_model"),
                     (Settings(timeout: 0), "invalid_speech_timeout"),
                     (Settings(timeout: 121), "invalid_speech_timeout"),
                 })
        {
            var refused = await admin.PutAsJsonAsync("/api/v1/workspace/voice", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(code, (await refused.Content.ReadFromJsonAsync<ProblemBody>())!.Code);
        }

        Assert.Equal(0, await _server.WithDbAsync(db => db.Set<VoiceSettings>().CountAsync()));
        var saved = await admin.PutAsJsonAsync("/api/v1/workspace/voice", Settings());
        saved.EnsureSuccessStatusCode();
        Assert.DoesNotContain(Secret, await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await saved.Content.ReadFromJsonAsync<VoiceSettingsDto>(KefuFactory.Json))!.HasApiKey);
        Assert.DoesNotContain(Secret, await _server.WithDbAsync(db => db.Set<VoiceSettings>().Select(s => s.ProtectedApiKey!).SingleAsync()), StringComparison.Ordinal);
        var moved = await admin.PutAsJsonAsync("/api/v1/workspace/voice", Settings(endpoint: "http://127.0.0.2:9/v1", apiKey: null));
        Assert.Equal("speech_api_key_required", (await moved.Content.ReadFromJsonAsync<ProblemBody>())!.Code);

        // The words reach the visitor live and the bot, which answers them exactly as the typed question.
        _speech.Script = (_, http) => FakeSpeechServer.Words(http, "  " + Ambiguous + "\u0001 ");
        await using (var typed = await BotVisitor.StartAsync(_server))
        {
            var typedReply = await typed.AskAsync(Ambiguous);
            var (done, spokenReply) = await SendVoiceAsync();
            Assert.Equal((TranscriptStates.Done, Ambiguous), (done.TranscriptState, done.Transcript)); // trimmed, control character cleaned
            Assert.Equal(typedReply.Text, spokenReply.Text);
            Assert.Equal(typedReply.Actions!.Select(a => a.Id), spokenReply.Actions!.Select(a => a.Id));
            Assert.Contains(spokenReply.Actions!, a => a.Kind == MessageAction.Choice);
        }

        var call = _speech.Requests[^1];
        Assert.Equal(("Bearer " + Secret, "whisper-test", "json", "audio/webm"), (call.Authorization, call.Model, call.ResponseFormat, call.ContentType));
        Assert.Equal(VoiceSamples.Webm(), call.Audio);

        // A hang past the timeout, and garbage: audio only, the bot hands off, nothing stuck.
        foreach (var script in new Func<SpeechRequest, Microsoft.AspNetCore.Http.HttpContext, Task>[]
                 {
                     (_, http) => FakeSpeechServer.Hang(http),
                     (_, http) => FakeSpeechServer.Garbage(http),
                 })
        {
            _speech.Script = script;
            var started = Stopwatch.GetTimestamp();
            var (failed, handoff) = await SendVoiceAsync();
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), $"took {Stopwatch.GetElapsedTime(started)}");
            Assert.Equal(TranscriptStates.Failed, failed.TranscriptState);
            Assert.Equal(HandoffReasons.Voice, (await BotAssertions.PacketAsync(_server, handoff.ConversationId)).Reason);
        }

        Assert.Equal(0, await _server.WithDbAsync(db => db.Attachments.CountAsync(a => a.TranscriptState == TranscriptStates.Pending)));
    }

    /// <summary>A new visitor records a voice message; returns its transcription as pushed live, and the bot's reply to it.</summary>
    private async Task<(AttachmentDto Attachment, MessageDto Reply)> SendVoiceAsync()
    {
        await using var visitor = await BotVisitor.StartAsync(_server);
        var transcribed = new Events<VoiceTranscribedEvent>(visitor.Hub, "VoiceTranscribed");
        using var http = VisitorHttp(visitor.Token);
        var upload = await UploadAsync(http, VoiceSamples.Webm(), "voice.webm", 3000);
        var ack = await visitor.SendAsync(new VisitorSendMessage(null, Guid.NewGuid().ToString("N"), "", upload.Id));
        Assert.True(ack.Ok, ack.Error?.Code);
        var pushed = await transcribed.WaitAsync(e => e.MessageId == ack.Value!.MessageId, timeoutSeconds: 20);
        var reply = await visitor.ReplyToAsync(ack.Value!);
        // The history shows the same as the push.
        var page = await visitor.Hub.InvokeAsync<HubResult<MessagePage>>("GetMessages", ack.Value!.ConversationId, 0L, 200);
        Assert.Equal(pushed.Attachment, page.Value!.Messages.Single(m => m.Id == ack.Value.MessageId).Attachment! with { Url = pushed.Attachment.Url });
        return (pushed.Attachment, reply);
    }

    private static async Task<AttachmentDto> UploadAsync(HttpClient http, byte[] bytes, string name, int durationMs)
    {
        var response = await http.PostAsync("/api/v1/attachments", Form(bytes, name, durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AttachmentDto>(KefuFactory.Json))!;
    }

    private static MultipartFormDataContent Form(byte[] bytes, string name, string? durationMs)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var form = new MultipartFormDataContent { { content, "file", name } };
        if (durationMs is not null)
        {
            form.Add(new StringContent(durationMs), "durationMs");
        }

        return form;
    }

    private HttpClient VisitorHttp(string token)
    {
        var http = _server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private object Settings(bool enabled = true, string? endpoint = null, string model = "whisper-test", string? apiKey = Secret, int timeout = 1) =>
        new { enabled, endpoint = endpoint ?? _speech.Endpoint, model, apiKey, timeoutSeconds = timeout };

    private sealed record ProblemBody(string Code);
}
