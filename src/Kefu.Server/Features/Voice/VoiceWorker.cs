using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Voice.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Voice;

/// <summary>Wakes <see cref="VoiceWorker"/> when the lane queued a voice message.</summary>
internal sealed class VoiceSignal() : WakeSignal("voice");

/// <summary>
/// Transcribes queued voice messages (state pending) one at a time, on the node that holds the <c>voice</c> lease:
/// each call is bounded by the workspace's timeout, so a hanging endpoint delays only other voice messages. The words
/// are stored on the attachment, pushed to both sides, and given to the bot; a failure leaves the message audio only.
/// A message whose call was cut short by a restart is still pending and is transcribed again.
/// </summary>
internal sealed partial class VoiceWorker(
    IVoiceMessages voices, VoiceSettingsStore settings, SpeechClient speech, IVoiceTurns bot, IVoiceFanout fanout,
    VoiceSignal signal, LeaseStore leases, ILogger<VoiceWorker> logger) : BackgroundService
{
    public const string LeaseName = "voice";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var handled = 0;
                try
                {
                    handled = await leases.HoldAsync(LeaseName, stoppingToken) ? await PassAsync(stoppingToken) : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                if (handled == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await leases.ReleaseOnShutdownAsync(LeaseName);
        }
    }

    private async Task<int> PassAsync(CancellationToken cancellationToken)
    {
        var pending = await voices.PendingAsync(10, cancellationToken);
        foreach (var voice in pending)
        {
            string? text = null;
            var outcome = SpeechOutcome.Failed;
            var state = TranscriptStates.Failed;
            try
            {
                var enabled = await settings.EnabledAsync(voice.TenantId, cancellationToken);
                if (enabled is not { } on)
                {
                    state = TranscriptStates.Unavailable; // turned off while it waited
                }
                else
                {
                    await using var audio = voices.OpenRead(voice);
                    if (audio is not null)
                    {
                        (text, outcome) = await speech.TranscribeAsync(on.Settings, on.ApiKey, audio, voice.FileName, voice.ContentType, cancellationToken);
                    }

                    state = outcome == SpeechOutcome.Ok ? TranscriptStates.Done : TranscriptStates.Failed;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // This one message (a key this node cannot read, a file gone from the store): it ends as failed, so
                // the bot passes it to a person, and the messages queued behind it are still transcribed.
                LogItemFailed(logger, ex, voice.MessageId);
            }

            LogTranscribed(logger, voice.MessageId, outcome);
            await FinishAsync(voices, bot, fanout, voice, TranscriptStates.Pending, text, state, cancellationToken);
        }

        return pending.Count;
    }

    /// <summary>Stores the end state, tells both sides, and lets the bot answer (with the words, or by handing off).</summary>
    public static async Task FinishAsync(
        IVoiceMessages voices, IVoiceTurns bot, IVoiceFanout fanout, VoiceMessage voice, string? from, string? text, string state, CancellationToken cancellationToken)
    {
        // The bot first, then the state: a bot answer that fails, or a stop between the two, leaves the message in its
        // earlier state, so the next pass (or the lane's replay) answers it again. Answering twice is harmless: the bot
        // answers a message once (its turn is keyed by the message).
        await bot.AnswerVoiceAsync(voice.ConversationId, voice.MessageId, state == TranscriptStates.Done ? text : null, cancellationToken);
        if (!await voices.MoveAsync(voice.AttachmentId, from, state, text, cancellationToken))
        {
            return; // another pass finished it
        }

        if (await voices.DtoAsync(voice.AttachmentId, cancellationToken) is { } dto)
        {
            await fanout.TranscribedAsync(voice.TenantId, voice.ContactId, new VoiceTranscribedEvent(voice.ConversationId, voice.MessageId, dto));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Voice message {MessageId}: {Outcome}")]
    private static partial void LogTranscribed(ILogger logger, Guid messageId, SpeechOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Voice message {MessageId} could not be transcribed; it stays audio only")]
    private static partial void LogItemFailed(ILogger logger, Exception ex, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transcription pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception ex);
}
