using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// Durable-lane consumer <c>tickets</c>. It takes two events:
/// <list type="bullet">
/// <item><c>message.created</c> only from a visitor in a conversation that has a ticket (<see cref="TicketConversationIndex"/>,
/// a set lookup in <c>Handles</c>): every other message is refused there and costs nothing. For the accepted ones of a
/// row, one query reads their texts, one reads their tickets, one save stores the lines and wakes the tickets (a closed
/// ticket's follow-up is its own small transaction, rare by nature).</item>
/// <item><c>conversation.left_message</c> (the widget's "leave a message"): a ticket from that conversation, unless it has one.</item>
/// </list>
/// Idempotent: each message's line carries the message id as its external id.
/// </summary>
internal sealed class TicketChatReplies(IDbContextFactory<KefuDbContext> dbFactory, TicketConversationIndex index, TicketWriter writer, TicketReplies replies,
    TicketFollowers followers, IInboxHours inboxHours, TimeProvider time) : IOutboxConsumer
{
    public string Name => "tickets";

    public bool Handles(ConversationEvent e) =>
        e is ConversationLeftMessage || (e is MessageCreated { Sender: SenderType.Visitor } m && index.Contains(m.ConversationId));

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        foreach (var left in events.OfType<ConversationLeftMessage>())
        {
            await FromLeftMessageAsync(left, cancellationToken);
        }

        var messages = events.OfType<MessageCreated>().ToList();
        if (messages.Count > 0)
        {
            await RepliesAsync(messages, cancellationToken);
        }
    }

    private async Task FromLeftMessageAsync(ConversationLeftMessage left, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Set<Ticket>().AnyAsync(t => t.TenantId == left.TenantId && t.ConversationId == left.ConversationId, ct))
        {
            return;
        }

        var conversation = await db.Conversations.Where(c => c.Id == left.ConversationId && c.TenantId == left.TenantId)
            .Select(c => new { c.ContactId, c.InboxId }).FirstOrDefaultAsync(ct);
        if (conversation is null)
        {
            return;
        }

        var first = await db.Messages.Where(m => m.ConversationId == left.ConversationId && m.SenderType == SenderType.Visitor)
            .OrderByDescending(m => m.Seq).Select(m => m.Text).FirstOrDefaultAsync(ct) ?? "";
        var subject = TicketRules.Subject(first.Split('\n')[0]).Subject ?? "(offline message)";
        await writer.CreateAsync(new TicketDraft(left.TenantId, subject.Length > 80 ? subject[..80] + "…" : subject, TicketSource.OfflineMessage,
            TicketPriority.Normal, TicketType.Question, conversation.ContactId, null, null, "", left.ConversationId, left.Actor)
        {
            ExternalId = "left-" + left.ConversationId.ToString("N"), InboxId = conversation.InboxId,
        }, ct);
    }

    private async Task RepliesAsync(List<MessageCreated> messages, CancellationToken ct)
    {
        var ids = messages.Select(m => m.MessageId).ToList();
        var conversationIds = messages.Select(m => m.ConversationId).Distinct().ToList();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var texts = await db.Messages.AsNoTracking().Where(m => EF.Parameter(ids).Contains(m.Id)).Select(m => new { m.Id, m.Text, m.CreatedAt })
            .ToDictionaryAsync(m => m.Id, m => (m.Text, m.CreatedAt), ct);
        // The newest ticket of each conversation that is not merged away is the one its chat feeds.
        var tickets = (await db.Set<Ticket>().Where(t => t.ConversationId != null && EF.Parameter(conversationIds).Contains(t.ConversationId.Value) && t.MergedIntoId == null)
            .ToListAsync(ct)).GroupBy(t => t.ConversationId!.Value).ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Number).First());
        var externalIds = ids.Select(i => "msg-" + i.ToString("N")).ToList();
        var seen = (await db.Set<TicketEntry>().Where(e => e.ExternalId != null && EF.Parameter(externalIds).Contains(e.ExternalId))
            .Select(e => e.ExternalId!).ToListAsync(ct)).ToHashSet();
        // A message the lane reaches after a ticket was opened from its chat may already be in the copied transcript
        // (it was committed before the ticket, its event handled after): the transcript line keeps the message's time
        // and text, so it is recognised and not added again as a customer reply.
        var ticketIds = tickets.Values.Select(t => t.Id).ToList();
        var stamps = texts.Values.Select(t => t.CreatedAt).Distinct().ToList();
        var copied = (await db.Set<TicketEntry>().Where(e => e.Kind == TicketEntryKind.Transcript && EF.Parameter(ticketIds).Contains(e.TicketId)
                && EF.Parameter(stamps).Contains(e.CreatedAt)).Select(e => new { e.TicketId, e.CreatedAt, e.Text }).ToListAsync(ct))
            .Select(e => (e.TicketId, e.CreatedAt, e.Text)).ToHashSet();
        var closed = new List<(Ticket Ticket, MessageCreated Message, string Text)>();
        Dictionary<Guid, SlaPolicyResolver> policies = [];
        foreach (var m in messages)
        {
            var externalId = "msg-" + m.MessageId.ToString("N");
            if (!tickets.TryGetValue(m.ConversationId, out var ticket) || seen.Contains(externalId) || !texts.TryGetValue(m.MessageId, out var message)
                || message.Text.Length == 0 || copied.Contains((ticket.Id, message.CreatedAt, Clip(message.Text))))
            {
                continue;
            }

            var text = message.Text;
            if (ticket.Status == TicketStatus.Closed)
            {
                closed.Add((ticket, m, text));
                continue;
            }

            if (!policies.TryGetValue(ticket.TenantId, out var policy))
            {
                policies[ticket.TenantId] = policy = await SlaPolicyResolver.LoadAsync(db, ticket.TenantId, inboxHours, ct);
            }

            await replies.AddAsync(db, ticket, m.ContactId, Clip(text), externalId, policy, now, ct);
        }

        await db.SaveChangesAsync(ct);
        foreach (var t in tickets.Values)
        {
            writer.Changed(t.TenantId, t.Id);
            followers.Announce(t.TenantId, [t]);
        }

        foreach (var (ticket, m, text) in closed)
        {
            await replies.AddCustomerReplyAsync(ticket.TenantId, ticket.Id, m.ContactId, text, "msg-" + m.MessageId.ToString("N"), ct);
        }
    }

    private static string Clip(string text) => text.Length > TicketRules.MaxTextLength ? text[..TicketRules.MaxTextLength] : text;
}
