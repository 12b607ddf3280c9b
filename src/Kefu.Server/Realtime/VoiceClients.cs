using Kefu.Server.Features.Voice.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>Voice events a visitor's connections receive: for their own conversations only.</summary>
public partial interface IVisitorClient
{
    /// <summary>A voice message's transcription ended (the words, or audio only).</summary>
    Task VoiceTranscribed(VoiceTranscribedEvent e);
}
