using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// Stores one batch of messages in one transaction: a handful of set-based reads, then one
/// SaveChanges. Every write is checked before anything of it is added, so an invalid write
/// yields its error and stores nothing, while its neighbours commit.
/// </summary>
/// <remarks><paramref name="inboxes"/> is optional so the processor can be built alone in unit tests: without it, no inbox has a bot.</remarks>
internal sealed class MessageBatchProcessor(
    TimeProvider time, IOptions<ConversationsOptions> options, ConversationMapper mapper, IInboxDirectory? inboxes = null)
{
    /// <summary>
    /// Stores a batch. The fast path does not look for earlier copies of the batch's messages; if
    /// one is a retry of a stored message, the unique (conversation, client id) index says so and
    /// the batch runs again, this time with the lookup, in a fresh context.
    /// </summary>
    public async Task<List<(MessageWritten? Written, KefuError? Error)>> ProcessAsync(
        Func<KefuDbContext> newContext, List<MessageWrite> writes, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = newContext();
            return await ProcessAsync(db, writes, checkDuplicates: false, cancellationToken);
        }
        catch (Exception ex) when (IsUniqueViolation(ex))
        {
            await using var db = newContext();
            return await ProcessAsync(db, writes, checkDuplicates: true, cancellationToken);
        }
    }

    private static bool IsUniqueViolation(Exception ex) => (ex is DbUpdateException ? ex.InnerException : ex) switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555, // SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    private async Task<List<(MessageWritten? Written, KefuError? Error)>> ProcessAsync(
        KefuDbContext db, List<MessageWrite> writes, bool checkDuplicates, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var state = await BatchState.LoadAsync(db, writes, checkDuplicates, cancellationToken);
        var botInboxes = await BotInboxesAsync(writes, cancellationToken);
        var staged = new List<(Message Message, Conversation Conversation, List<string> Events)?>(writes.Count);
        var results = new List<(MessageWritten?, KefuError?)>(writes.Count);
        var created = new List<MessageCreated>(writes.Count);
        var inserts = RowStatement.Insert<Message>(db);
        var updated = new Dictionary<Guid, Conversation>();

        foreach (var write in writes)
        {
            var (conversation, events, error) = ResolveConversation(db, state, write, now, botInboxes);
            if (error is not null)
            {
                staged.Add(null);
                results.Add((null, error));
                continue;
            }

            if (state.Existing.TryGetValue((conversation!.Id, write.ClientMessageId), out var earlier))
            {
                staged.Add(null);
                results.Add((Written(earlier, conversation, state, duplicate: true, [], write.OriginConnectionId), null));
                continue;
            }

            if (write.AttachmentId is { } attachmentId && !state.MayUse(attachmentId, write))
            {
                staged.Add(null);
                results.Add((null, ConversationErrors.AttachmentNotFound));
                continue;
            }

            var message = Append(db, conversation, write, now, events);
            inserts.AddEntity(message);
            if (state.Stored.ContainsKey(conversation.Id))
            {
                updated.TryAdd(conversation.Id, conversation);
            }

            state.Existing[(conversation.Id, write.ClientMessageId)] = message;
            staged.Add((message, conversation, events));
            results.Add((null, null));
            created.Add(new MessageCreated(message.Id, message.Seq, write.Sender, conversation.Handler, conversation.InboxId, conversation.ContactId)
            {
                TenantId = conversation.TenantId, ConversationId = conversation.Id, Actor = Actor.ForSender(write.Sender, write.SenderId), OccurredAt = now,
            });
        }

        ConversationJournal.AppendMessages(db, created, now);

        // New conversations (first, for the foreign key), masked originals and the journal's rows through EF: a few
        // per batch. The updates of loaded conversations and the messages, one or more per write, as prepared row
        // statements (see RowStatement for why).
        await db.SaveChangesAsync(cancellationToken);
        await UpdateConversationsAsync(db, state, updated.Values, cancellationToken);
        await inserts.ExecuteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Built after the commit so every DTO shows the conversation as committed (final LastSeq, unread).
        for (var i = 0; i < results.Count; i++)
        {
            if (staged[i] is { } s)
            {
                results[i] = (Written(s.Message, s.Conversation, state, duplicate: false, s.Events, writes[i].OriginConnectionId), null);
            }
        }

        return results;
    }

    private (Conversation?, List<string>, KefuError?) ResolveConversation(KefuDbContext db, BatchState state, MessageWrite write, DateTime now, HashSet<Guid> botInboxes)
    {
        var events = new List<string>();
        if (write.ConversationId is { } id)
        {
            return state.ById.TryGetValue(id, out var found) && found.TenantId == write.TenantId
                ? (found, events, null)
                : (null, events, ConversationErrors.ConversationNotFound);
        }

        var key = (write.InboxId, write.ContactId);
        if (state.Current.TryGetValue(key, out var current) &&
            !(current.Status == ConversationStatus.Resolved && current.ResolvedAt < now - options.Value.ReopenWindow))
        {
            return (current, events, null);
        }

        var created = new Conversation
        {
            Id = Guid.CreateVersion7(now),
            TenantId = write.TenantId,
            InboxId = write.InboxId,
            ContactId = write.ContactId,
            Handler = botInboxes.Contains(write.InboxId) ? ConversationHandler.Bot : ConversationHandler.Queue,
            CreatedAt = now,
            LastMessageAt = now,
        };
        db.Conversations.Add(created);
        state.Current[key] = created;
        state.ById[created.Id] = created;
        Record(db, events, new ConversationCreated(created.InboxId, created.ContactId, created.Handler) { TenantId = created.TenantId, ConversationId = created.Id, Actor = Actor.ForSender(write.Sender, write.SenderId), OccurredAt = now });
        return (created, events, null);
    }

    private static Message Append(KefuDbContext db, Conversation conversation, MessageWrite write, DateTime now, List<string> events)
    {
        var message = new Message
        {
            Id = Guid.CreateVersion7(now),
            ConversationId = conversation.Id,
            Seq = ++conversation.LastSeq,
            ClientMessageId = write.ClientMessageId,
            SenderType = write.Sender,
            SenderId = write.SenderId,
            SenderName = write.SenderName,
            Text = write.Text,
            AttachmentId = write.AttachmentId,
            Actions = MessageActions.Write(write.Actions),
            MaskedValues = write.Originals?.Count ?? 0,
            CreatedAt = now,
        };
        foreach (var original in write.Originals ?? [])
        {
            db.Add(ProtectedMessageValue.For(conversation.TenantId, conversation.Id, message.Id, message.Seq, original));
        }

        conversation.LastMessageAt = now;
        conversation.LastMessagePreview = MessageInput.Preview(write.Text, write.AttachmentId is not null);

        if (write.Sender == SenderType.Visitor)
        {
            conversation.UnreadCount++;
            if (conversation.Status == ConversationStatus.Resolved)
            {
                conversation.Status = ConversationStatus.Open;
                conversation.ResolvedAt = null;
                Record(db, events, new ConversationReopened { TenantId = conversation.TenantId, ConversationId = conversation.Id, Actor = Actor.ForSender(write.Sender, write.SenderId), OccurredAt = now });
            }
        }
        else if (write.Sender == SenderType.Agent)
        {
            conversation.UnreadCount = 0;
            if (conversation.AssigneeId is null)
            {
                // Replying takes the conversation: the agent who answers owns it until routing says otherwise.
                conversation.AssigneeId = write.SenderId;
                conversation.Handler = ConversationHandler.Agent;
                Record(db, events, new ConversationAssigned(write.SenderId.GetValueOrDefault(), "replied") { TenantId = conversation.TenantId, ConversationId = conversation.Id, Actor = Actor.ForSender(write.Sender, write.SenderId), OccurredAt = now });
            }
        }

        return message;
    }

    private static readonly string[] Always = [nameof(Conversation.LastSeq), nameof(Conversation.LastMessageAt), nameof(Conversation.LastMessagePreview), nameof(Conversation.UnreadCount)];
    private static readonly string[] Reopened = [nameof(Conversation.Status), nameof(Conversation.ResolvedAt)];
    private static readonly string[] Claimed = [nameof(Conversation.AssigneeId), nameof(Conversation.Handler)];
    private static readonly string[] Tokens = [nameof(Conversation.Id), nameof(Conversation.LastSeq), nameof(Conversation.AssigneeId)];

    /// <summary>
    /// Writes what the batch changed on conversations it loaded: only those columns (so a concurrent change to
    /// another one, such as a resolve or a routing claim on PostgreSQL, is not overwritten), and only while the
    /// concurrency tokens still hold the values read. A row that changed meanwhile fails the batch with
    /// <see cref="DbUpdateConcurrencyException"/>, which the writer answers by reading and numbering again.
    /// </summary>
    private static async Task UpdateConversationsAsync(KefuDbContext db, BatchState state, IEnumerable<Conversation> conversations, CancellationToken cancellationToken)
    {
        var statements = new Dictionary<(bool Reopened, bool Claimed), RowStatement>();
        foreach (var c in conversations)
        {
            var stored = state.Stored[c.Id];
            var shape = (Reopened: c.Status != stored.Status, Claimed: c.AssigneeId != stored.AssigneeId);
            if (!statements.TryGetValue(shape, out var statement))
            {
                string[] set = [.. Always, .. shape.Reopened ? Reopened : [], .. shape.Claimed ? Claimed : []];
                statement = RowStatement.Update<Conversation>(db, set, Tokens);
                statements.Add(shape, statement);
            }

            object?[] values = [c.LastSeq, c.LastMessageAt, c.LastMessagePreview, c.UnreadCount];
            if (shape.Reopened)
            {
                values = [.. values, c.Status, c.ResolvedAt];
            }

            if (shape.Claimed)
            {
                values = [.. values, c.AssigneeId, c.Handler];
            }

            statement.Add([.. values, c.Id, stored.LastSeq, stored.AssigneeId]);
        }

        foreach (var statement in statements.Values)
        {
            if ((await statement.ExecuteAsync(cancellationToken)).Contains(0))
            {
                throw new DbUpdateConcurrencyException("A conversation of the batch changed after it was read.");
            }
        }
    }

    /// <summary>
    /// Inboxes of this batch whose new conversations start with the bot. Read through the inbox cache
    /// (no query per batch); a changed bot setting applies to new conversations within its lifetime.
    /// </summary>
    private async Task<HashSet<Guid>> BotInboxesAsync(List<MessageWrite> writes, CancellationToken cancellationToken)
    {
        var result = new HashSet<Guid>();
        if (inboxes is null)
        {
            return result;
        }

        foreach (var inboxId in writes.Where(w => w.ConversationId is null).Select(w => w.InboxId).Distinct())
        {
            if ((await inboxes.ByIdAsync(inboxId, cancellationToken))?.BotEnabled == true)
            {
                result.Add(inboxId);
            }
        }

        return result;
    }

    private static void Record(KefuDbContext db, List<string> events, ConversationEvent e)
    {
        events.Add(e.Type);
        ConversationJournal.Append(db, e);
    }

    private MessageWritten Written(Message message, Conversation conversation, BatchState state, bool duplicate, IReadOnlyList<string> events, string? origin)
    {
        var attachment = message.AttachmentId is { } a ? state.Attachments.GetValueOrDefault(a) : null;
        return new MessageWritten(
            conversation.TenantId,
            mapper.ToDto(message, attachment),
            ConversationMapper.ToDto(conversation, state.ContactNames.GetValueOrDefault(conversation.ContactId, "")),
            duplicate,
            events,
            origin);
    }
}
