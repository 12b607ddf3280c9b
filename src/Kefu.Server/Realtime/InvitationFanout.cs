using Kefu.Server.Features.Invitations.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// Pushes an agent's invitation to the visitor's widget connections. Best effort: a widget that misses it (a page
/// change at that moment) simply shows nothing, and the invitation stays counted as shown.
/// </summary>
internal sealed partial class InvitationFanout(IHubContext<VisitorHub, IVisitorClient> visitors, ILogger<InvitationFanout> logger) : IInvitationFanout
{
    public async Task InviteAsync(Guid contactId, InvitationDto invitation)
    {
        try
        {
            await visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).Invitation(invitation);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An invitation push failed")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
