using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Voice.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Voice;

/// <summary>
/// Voice messages on the durable lane, after their commit (ADR 0039). With a speech endpoint the message is queued for
/// <see cref="VoiceWorker"/> (the call itself never runs on the lane: a hanging endpoint must not hold back the bot,
/// routing or webhooks); without one it is marked audio only, and the bot, when it holds the conversation, says it
/// passes the voice message to a person. Idempotent: each step moves the state from the one it expects.
/// </summary>
internal sealed class VoiceLane(IVoiceMessages voices, VoiceSettingsStore settings, IVoiceTurns bot, IVoiceFanout fanout, VoiceSignal signal) : IOutboxConsumer
{
    public string Name => "voice";

    public bool Handles(ConversationEvent e) => e is MessageCreated { Sender: SenderType.Visitor };

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    /// <summary>One read for a whole pass: most visitor messages carry no voice.</summary>
    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.OfType<MessageCreated>().Select(e => e.MessageId).ToList();
        foreach (var voice in await voices.FindAsync(ids, cancellationToken))
        {
            if (voice.TranscriptState is not null)
            {
                continue; // seen before (a replayed event)
            }

            if (await settings.EnabledAsync(voice.TenantId, cancellationToken) is not null)
            {
                if (await voices.MoveAsync(voice.AttachmentId, null, TranscriptStates.Pending, null, cancellationToken))
                {
                    signal.Notify();
                }

                continue;
            }

            await VoiceWorker.FinishAsync(voices, bot, fanout, voice, null, null, TranscriptStates.Unavailable, cancellationToken);
        }
    }
}
