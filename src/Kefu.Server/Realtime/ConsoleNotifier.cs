using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;

namespace Kefu.Server.Realtime;

/// <summary>An event for console pages, per tenant. Serializable: with Redis it travels to every node's circuits.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(MessageCreated), "message")]
[JsonDerivedType(typeof(ConversationChanged), "conversation")]
[JsonDerivedType(typeof(Typing), "typing")]
[JsonDerivedType(typeof(QueueChanged), "queue")]
[JsonDerivedType(typeof(Offer), "offer")]
[JsonDerivedType(typeof(ConversationDeleted), "deleted")]
[JsonDerivedType(typeof(Transferred), "transferred")]
[JsonDerivedType(typeof(NotificationsChanged), "notifications")]
[JsonDerivedType(typeof(NotesChanged), "notes")]
[JsonDerivedType(typeof(TicketChanged), "ticket")]
[JsonDerivedType(typeof(VoiceTranscribed), "voice")]
internal abstract record ConsoleEvent(Guid TenantId)
{
    public sealed record MessageCreated(Guid TenantId, MessageDto Message, ConversationDto Conversation) : ConsoleEvent(TenantId);

    public sealed record ConversationChanged(Guid TenantId, ConversationDto Conversation) : ConsoleEvent(TenantId);

    public sealed record Typing(Guid TenantId, TypingEvent Event) : ConsoleEvent(TenantId);

    /// <summary>Queues or agents' presence/load changed: supervisor and queue views reload.</summary>
    public sealed record QueueChanged(Guid TenantId) : ConsoleEvent(TenantId);

    /// <summary>An offer to <paramref name="AgentId"/> started (<paramref name="Details"/> set) or ended (null).</summary>
    public sealed record Offer(Guid TenantId, Guid AgentId, Guid ConversationId, OfferEvent? Details) : ConsoleEvent(TenantId);

    /// <summary>A conversation was deleted: pages drop it, and close it when it is open.</summary>
    public sealed record ConversationDeleted(Guid TenantId, Guid ConversationId) : ConsoleEvent(TenantId);

    /// <summary>A person handed <paramref name="Conversation"/> to <paramref name="AgentId"/>: their bell and alerts say so.</summary>
    public sealed record Transferred(Guid TenantId, Guid AgentId, ConversationDto Conversation, Guid FromAgentId) : ConsoleEvent(TenantId);

    /// <summary><paramref name="AgentId"/>'s stored bell lines changed: each of their consoles reloads them, so every device agrees.</summary>
    public sealed record NotificationsChanged(Guid TenantId, Guid AgentId) : ConsoleEvent(TenantId);

    /// <summary>A private note was added to <paramref name="ConversationId"/>: consoles showing it reload its notes (each reader's access is checked then).</summary>
    public sealed record NotesChanged(Guid TenantId, Guid ConversationId) : ConsoleEvent(TenantId);

    /// <summary>A ticket was created or changed: ticket lists and the ticket's page reload it.</summary>
    public sealed record TicketChanged(Guid TenantId, Guid TicketId) : ConsoleEvent(TenantId);

    /// <summary>A voice message's transcription ended: a console showing its conversation shows the words (ADR 0039).</summary>
    public sealed record VoiceTranscribed(Guid TenantId, Features.Voice.Contracts.VoiceTranscribedEvent Event) : ConsoleEvent(TenantId);
}

/// <summary>
/// Publish/subscribe for Blazor console circuits. A failing or slow subscriber never affects the publisher or
/// other subscribers: each callback is started and not awaited here. On one node events go straight to the
/// circuits; with Redis, <see cref="Relay"/> sends them through Redis and every node, this one included,
/// delivers them to its own circuits (<see cref="DeliverLocal"/>), so a console sees every node's events.
/// </summary>
internal sealed partial class ConsoleNotifier(ILogger<ConsoleNotifier> logger)
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _byTenant = new();

    /// <summary>Set by the cluster bus when Redis is configured: publishes to every node instead of delivering here.</summary>
    public Action<ConsoleEvent>? Relay { get; set; }

    public IDisposable Subscribe(Guid tenantId, Func<ConsoleEvent, Task> handler)
    {
        var subscription = new Subscription(this, tenantId, handler);
        _byTenant.GetOrAdd(tenantId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public void Publish(ConsoleEvent e)
    {
        if (Relay is { } relay)
        {
            relay(e);
        }
        else
        {
            DeliverLocal(e);
        }
    }

    /// <summary>Hands an event to this node's circuits of its workspace.</summary>
    public void DeliverLocal(ConsoleEvent e)
    {
        if (!_byTenant.TryGetValue(e.TenantId, out var subscribers))
        {
            return;
        }

        foreach (var subscription in subscribers.Keys)
        {
            _ = Deliver(subscription, e);
        }
    }

    private async Task Deliver(Subscription subscription, ConsoleEvent e)
    {
        // The culture flows with the execution context, and this one is the publisher's (an outbox or hub thread):
        // without the subscriber's own culture, a circuit re-rendered by a live event would render in the server's
        // default language, whatever the agent chose. Set here, it lasts for this delivery only.
        CultureInfo.CurrentCulture = subscription.Culture;
        CultureInfo.CurrentUICulture = subscription.UICulture;
        try
        {
            await subscription.Handler(e);
        }
        catch (Exception ex)
        {
            LogSubscriberFailed(logger, ex, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console subscriber failed on {Event}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception ex, string @event);

    private sealed class Subscription(ConsoleNotifier owner, Guid tenantId, Func<ConsoleEvent, Task> handler) : IDisposable
    {
        public Func<ConsoleEvent, Task> Handler { get; } = handler;

        /// <summary>The subscriber's cultures when it subscribed: a circuit's, from the agent's language choice.</summary>
        public CultureInfo Culture { get; } = CultureInfo.CurrentCulture;

        public CultureInfo UICulture { get; } = CultureInfo.CurrentUICulture;

        public void Dispose()
        {
            if (owner._byTenant.TryGetValue(tenantId, out var set))
            {
                set.TryRemove(this, out _);
            }
        }
    }
}
