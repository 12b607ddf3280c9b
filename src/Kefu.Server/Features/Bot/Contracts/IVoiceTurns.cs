namespace Kefu.Server.Features.Bot.Contracts;

/// <summary>
/// The bot's seam for voice messages (ADR 0039): the bot leaves a visitor's voice message alone on the lane and answers
/// it here once its transcription ended, as if the words were typed; without words it says it passes the voice message
/// to a person and hands off. Idempotent like the bot's other turns (one turn per visitor message).
/// </summary>
internal interface IVoiceTurns
{
    /// <param name="conversationId">The conversation.</param>
    /// <param name="messageId">The visitor's voice message.</param>
    /// <param name="transcript">Its words, or null when there are none (no speech endpoint, it failed or hung).</param>
    /// <param name="cancellationToken">Stops the turn.</param>
    Task AnswerVoiceAsync(Guid conversationId, Guid messageId, string? transcript, CancellationToken cancellationToken);

}
