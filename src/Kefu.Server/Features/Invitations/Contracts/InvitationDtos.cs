namespace Kefu.Server.Features.Invitations.Contracts;

/// <summary>An invitation pushed to or returned for a visitor's widget.</summary>
/// <param name="Id">The shown invitation: what accept and dismiss name.</param>
/// <param name="TextEn">English text (plain text, shown as text).</param>
/// <param name="TextZh">Chinese text.</param>
/// <param name="OpenWidget">Open the chat window at once.</param>
/// <param name="FromAgent">Sent by an agent who saw the visitor browsing (not by a rule).</param>
public sealed record InvitationDto(Guid Id, string TextEn, string TextZh, bool OpenWidget, bool FromAgent);

/// <summary>Pushes an agent's invitation to a visitor's widget connections (implemented by the realtime lane).</summary>
internal interface IInvitationFanout
{
    Task InviteAsync(Guid contactId, InvitationDto invitation);
}
