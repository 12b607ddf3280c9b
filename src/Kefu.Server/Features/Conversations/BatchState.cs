using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>What one write batch needs from the database, read with one query per kind.</summary>
internal sealed class BatchState
{
    public required Dictionary<Guid, Conversation> ById { get; init; }

    /// <summary>Each visitor's newest conversation per inbox.</summary>
    public required Dictionary<(Guid InboxId, Guid ContactId), Conversation> Current { get; init; }

    /// <summary>Messages already stored under a (conversation, client message id) of this batch.</summary>
    public required Dictionary<(Guid ConversationId, string ClientMessageId), Message> Existing { get; init; }
    public required Dictionary<Guid, Attachment> Attachments { get; init; }
    public required Dictionary<Guid, string> ContactNames { get; init; }

    /// <summary>
    /// The stored state of each loaded conversation, as read: the writer's update sets only what changed since and
    /// compares <see cref="Conversation.LastSeq"/> and <see cref="Conversation.AssigneeId"/> (the concurrency tokens)
    /// with these.
    /// </summary>
    public required Dictionary<Guid, StoredConversation> Stored { get; init; }

    /// <param name="checkDuplicates">
    /// Look up messages already stored under the batch's client ids. Off on the fast path: a retry of
    /// a stored message is rare, and the unique index reports it (the batch then runs again with this on).
    /// </param>
    public static async Task<BatchState> LoadAsync(KefuDbContext db, List<MessageWrite> writes, bool checkDuplicates, CancellationToken cancellationToken)
    {
        var ids = writes.Where(w => w.ConversationId is not null).Select(w => w.ConversationId!.Value).Distinct().ToList();
        var visitorContacts = writes.Where(w => w.ConversationId is null).Select(w => w.ContactId).Distinct().ToList();

        // Visitors' conversations are few per contact: loading them all and picking the newest in memory
        // is one query instead of one per visitor. Ids and contacts in two queries, each on its own
        // index: an OR of both lists makes SQLite scan the table.
        var conversations = ids.Count == 0 ? [] : await db.Conversations.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.Id)).ToListAsync(cancellationToken);
        if (visitorContacts.Count > 0)
        {
            var known = conversations.Select(c => c.Id).ToHashSet();
            conversations.AddRange((await db.Conversations.AsNoTracking().Where(c => EF.Parameter(visitorContacts).Contains(c.ContactId)).ToListAsync(cancellationToken))
                .Where(c => !known.Contains(c.Id)));
        }

        var byId = conversations.ToDictionary(c => c.Id);
        var current = conversations
            .GroupBy(c => (c.InboxId, c.ContactId))
            .ToDictionary(g => g.Key, g => g.MaxBy(c => c.CreatedAt)!);

        var conversationIds = byId.Keys.ToList();
        var clientIds = writes.Select(w => w.ClientMessageId).Distinct().ToList();
        var existing = conversationIds.Count == 0 || !checkDuplicates
            ? []
            : (await db.Messages.AsNoTracking()
                .Where(m => EF.Parameter(conversationIds).Contains(m.ConversationId) && EF.Parameter(clientIds).Contains(m.ClientMessageId))
                .ToListAsync(cancellationToken))
                .ToDictionary(m => (m.ConversationId, m.ClientMessageId));

        var attachmentIds = writes.Where(w => w.AttachmentId is not null).Select(w => w.AttachmentId!.Value).Distinct().ToList();
        var attachments = attachmentIds.Count == 0
            ? []
            : await db.Attachments.AsNoTracking().Where(a => EF.Parameter(attachmentIds).Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);

        var contactIds = conversations.Select(c => c.ContactId).Concat(writes.Select(w => w.ContactId)).Distinct().ToList();
        var names = await db.Contacts.Where(c => EF.Parameter(contactIds).Contains(c.Id))
            .Select(c => new { c.Id, c.Name })
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);

        var stored = conversations.ToDictionary(c => c.Id, c => new StoredConversation(c.LastSeq, c.AssigneeId, c.Status));
        return new BatchState { ById = byId, Current = current, Existing = existing, Attachments = attachments, ContactNames = names, Stored = stored };
    }

    /// <summary>An attachment may be sent only by whoever uploaded it, within the same tenant.</summary>
    public bool MayUse(Guid attachmentId, MessageWrite write) =>
        Attachments.TryGetValue(attachmentId, out var a) && a.TenantId == write.TenantId && write.Sender switch
        {
            SenderType.Visitor => a.UploaderContactId == write.ContactId,
            SenderType.Agent => a.UploaderAgentId == write.SenderId,
            _ => false,
        };
}

/// <summary>What the writer compares a loaded conversation with before it updates the row.</summary>
internal readonly record struct StoredConversation(long LastSeq, Guid? AssigneeId, ConversationStatus Status);
