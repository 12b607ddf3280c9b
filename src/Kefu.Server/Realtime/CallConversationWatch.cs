using System.Collections.Concurrent;
using Kefu.Server.Features.Calls;
using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>
/// Ends calls whose conversation was resolved, transferred or deleted (ADR 0040). It listens to the console's change
/// events, which reach every node (with Redis through the cluster bus), for the workspaces that have had a call on this
/// node; an event is only a trigger: <see cref="CallLifecycle.EndIfConversationChangedAsync"/> reads the truth from the
/// database, so a late event cannot end a call that is still allowed.
/// </summary>
internal sealed partial class CallConversationWatch(
    ConsoleNotifier console, CallRegistry registry, CallLifecycle lifecycle, ILogger<CallConversationWatch> logger) : ICallConversationWatch, IDisposable
{
    private readonly ConcurrentDictionary<Guid, IDisposable> _watched = new();

    public void Watch(Guid tenantId)
    {
        if (_watched.ContainsKey(tenantId))
        {
            return;
        }

        var subscription = console.Subscribe(tenantId, OnEventAsync);
        if (!_watched.TryAdd(tenantId, subscription))
        {
            subscription.Dispose();
        }
    }

    private async Task OnEventAsync(ConsoleEvent e)
    {
        var conversationId = e switch
        {
            ConsoleEvent.ConversationChanged changed => changed.Conversation.Id,
            ConsoleEvent.ConversationDeleted deleted => deleted.ConversationId,
            ConsoleEvent.Transferred transferred => transferred.Conversation.Id,
            _ => (Guid?)null,
        };
        if (conversationId is not { } id || registry.LiveIn(id) is not { } call)
        {
            return;
        }

        try
        {
            await lifecycle.EndIfConversationChangedAsync(call);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, call.Id, ex);
        }
    }

    public void Dispose()
    {
        foreach (var subscription in _watched.Values)
        {
            subscription.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking call {CallId} after a change of its conversation failed")]
    private static partial void LogCheckFailed(ILogger logger, Guid callId, Exception ex);
}
