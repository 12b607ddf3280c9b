using System.Collections.Concurrent;
using System.Globalization;
using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Features.Calls;

/// <summary>A call changed state (after its event was committed): <paramref name="AgentId"/> is the agent in it.</summary>
internal sealed record CallNotice(Guid TenantId, Guid AgentId, CallDto Call);

/// <summary>
/// Tells this node's console circuits that a call changed, so the timeline shows call events as they happen and the
/// assigned agent's shell rings for a visitor's request while another page is open. In process only: a call lives on
/// one node (ADR 0035), and so do the agent's circuit and hub connection with sticky sessions. Each subscriber runs in
/// its own culture (the circuit's), like <c>ConsoleNotifier</c>'s, and a failing one affects no other.
/// </summary>
internal sealed partial class CallNotices(ILogger<CallNotices> logger)
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public IDisposable Subscribe(Guid tenantId, Func<CallNotice, Task> handler)
    {
        var subscription = new Subscription(this, tenantId, handler);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public void Publish(CallNotice notice)
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.TenantId == notice.TenantId)
            {
                _ = DeliverAsync(subscription, notice);
            }
        }
    }

    private async Task DeliverAsync(Subscription subscription, CallNotice notice)
    {
        CultureInfo.CurrentCulture = subscription.Culture;
        CultureInfo.CurrentUICulture = subscription.UICulture;
        try
        {
            await subscription.Handler(notice);
        }
        catch (Exception ex)
        {
            LogSubscriberFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call notice subscriber failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception ex);

    private sealed class Subscription(CallNotices owner, Guid tenantId, Func<CallNotice, Task> handler) : IDisposable
    {
        public Guid TenantId { get; } = tenantId;

        public Func<CallNotice, Task> Handler { get; } = handler;

        public CultureInfo Culture { get; } = CultureInfo.CurrentCulture;

        public CultureInfo UICulture { get; } = CultureInfo.CurrentUICulture;

        public void Dispose() => owner._subscriptions.TryRemove(this, out _);
    }
}
