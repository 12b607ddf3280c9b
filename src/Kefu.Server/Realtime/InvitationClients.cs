using Kefu.Server.Features.Invitations.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>Invitation events a visitor's connections receive (issue 17).</summary>
public partial interface IVisitorClient
{
    /// <summary>An agent who saw the visitor browsing invites them to chat.</summary>
    Task Invitation(InvitationDto invitation);
}
