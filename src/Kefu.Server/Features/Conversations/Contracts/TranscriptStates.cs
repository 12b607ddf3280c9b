namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>Where a voice message's transcription stands (ADR 0039).</summary>
public static class TranscriptStates
{
    /// <summary>Waiting for the workspace's speech endpoint.</summary>
    public const string Pending = "pending";

    /// <summary>Transcribed: the text is stored with the attachment.</summary>
    public const string Done = "done";

    /// <summary>The endpoint failed, hung past its timeout or answered garbage: the message stays audio only.</summary>
    public const string Failed = "failed";

    /// <summary>The workspace has no speech endpoint: audio only.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Longest transcript kept; a longer answer is cut here.</summary>
    public const int MaxLength = 4000;
}
