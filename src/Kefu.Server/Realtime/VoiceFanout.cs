using Kefu.Server.Features.Voice.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Realtime;

/// <summary>
/// The realtime lane of voice messages: the transcript to the visitor's connections and to the workspace's consoles
/// (which show it only in a conversation the agent has open, after its access check). Best effort like the other
/// fan-outs: the next history load shows the same.
/// </summary>
internal sealed partial class VoiceFanout(IHubContext<VisitorHub, IVisitorClient> visitors, ConsoleNotifier console, ILogger<VoiceFanout> logger) : IVoiceFanout
{
    public async Task TranscribedAsync(Guid tenantId, Guid contactId, VoiceTranscribedEvent e)
    {
        try
        {
            await visitors.Clients.Group(RealtimeGroups.Visitor(contactId)).VoiceTranscribed(e);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPushFailed(logger, ex);
        }

        console.Publish(new ConsoleEvent.VoiceTranscribed(tenantId, e));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A voice push failed")]
    private static partial void LogPushFailed(ILogger logger, Exception ex);
}
