using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Conversations;

/// <summary>The journal's rows on a real SQLite file: they commit, or roll back, with the caller's transaction.</summary>
public sealed class ConversationJournalTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 30, 15, 250, TimeSpan.Zero));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kefu-journal-{Guid.NewGuid():N}.db");
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly Guid _inbox = Guid.CreateVersion7();
    private readonly Guid _contact = Guid.CreateVersion7();
    private readonly Guid _conversation = Guid.CreateVersion7();
    private readonly Guid _agent = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        db.Tenants.Add(new Tenant { Id = _tenant, Name = "T", CreatedAt = now });
        db.Inboxes.Add(new Inbox { Id = _inbox, TenantId = _tenant, Name = "I", WidgetKey = "k" + _inbox.ToString("N")[..8], CreatedAt = now });
        db.Contacts.Add(new Contact { Id = _contact, TenantId = _tenant, Name = "C", CreatedAt = now, LastSeenAt = now });
        db.Conversations.Add(new Conversation { Id = _conversation, TenantId = _tenant, InboxId = _inbox, ContactId = _contact, CreatedAt = now, LastMessageAt = now });
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Append_InCommittedTransaction_WritesOneTimelineRowAndOneOutboxRow_FromTheEvent()
    {
        _clock.Advance(TimeSpan.FromMinutes(3));
        var assigned = Assigned();

        await AppendAsync(commit: true, assigned);

        await using var db = Db();
        var entry = await db.ConversationEvents.SingleAsync();
        Assert.Equal((_tenant, _conversation), (entry.TenantId, entry.ConversationId));
        Assert.Equal(ConversationAssigned.Name, entry.Type);
        Assert.Equal("agent", entry.ActorType);
        Assert.Equal(_agent, entry.ActorId);
        Assert.Equal(assigned.OccurredAt, entry.CreatedAt);
        Assert.Equal(ConversationEventCatalogue.ToTimelineJson(assigned), entry.Data);
        var outbox = await db.Outbox.SingleAsync();
        Assert.Equal((_tenant, _conversation), (outbox.TenantId, outbox.SubjectId));
        Assert.Equal(ConversationAssigned.Name, outbox.Type);
        Assert.Equal(assigned.OccurredAt, outbox.CreatedAt);
        Assert.Null(outbox.ProcessedAt);
        Assert.Equal(assigned, Assert.Single(ConversationJournal.Read(outbox)));
    }

    [Fact]
    public async Task Append_InRolledBackTransaction_LeavesNeitherRow()
    {
        var inside = await AppendAsync(commit: false, Assigned(), Created());

        Assert.Equal((2, 2), inside); // written in the transaction, so the rollback is what removed them
        await using var db = Db();
        Assert.Equal(0, await db.ConversationEvents.CountAsync());
        Assert.Equal(0, await db.Outbox.CountAsync());
    }

    [Fact]
    public async Task Append_MessageCreated_WritesAnOutboxRowButNoTimelineRow()
    {
        var message = Message(_tenant, 1);

        await AppendAsync(commit: true, message);

        await using var db = Db();
        Assert.Equal(0, await db.ConversationEvents.CountAsync());
        var outbox = await db.Outbox.SingleAsync();
        Assert.Equal(MessageCreated.Name, outbox.Type);
        Assert.Equal(message, Assert.Single(ConversationJournal.Read(outbox)));
    }

    [Fact]
    public async Task AppendMessages_OfTwoTenants_WritesOneBatchRowPerTenant_AndReadGivesTheirEventsInOrder()
    {
        var other = Guid.CreateVersion7();
        MessageCreated[] messages = [Message(_tenant, 1), Message(other, 1), Message(_tenant, 2), Message(_tenant, 3), Message(other, 2)];
        var now = _clock.GetUtcNow().UtcDateTime;

        await using (var db = Db())
        {
            ConversationJournal.AppendMessages(db, messages, now);
            await db.SaveChangesAsync();
        }

        await using var read = Db();
        var rows = await read.Outbox.OrderBy(o => o.Id).ToListAsync();
        Assert.Equal([_tenant, other], rows.Select(r => r.TenantId));
        Assert.All(rows, r => Assert.Equal(ConversationJournal.MessagesCreatedBatch, r.Type));
        Assert.All(rows, r => Assert.Equal(r.TenantId, r.SubjectId));
        Assert.All(rows, r => Assert.Equal(now, r.CreatedAt));
        Assert.Equal(messages.Where(m => m.TenantId == _tenant), ConversationJournal.Read(rows[0]));
        Assert.Equal(messages.Where(m => m.TenantId == other), ConversationJournal.Read(rows[1]));
        Assert.Equal(0, await read.ConversationEvents.CountAsync());
    }

    [Fact]
    public async Task AppendMessages_OfAFullGroupCommitOfOneTenant_FitsTheOutboxPayloadColumn()
    {
        // The writer commits up to MaxBatchSize messages at once, often all of one workspace; PostgreSQL refuses a
        // payload longer than the column (varchar), which would fail the whole group commit.
        var messages = Enumerable.Range(1, new DatabaseOptions().MaxBatchSize).Select(seq => Message(_tenant, seq)).ToList();

        await using (var db = Db())
        {
            ConversationJournal.AppendMessages(db, messages, _clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        await using var read = Db();
        var limit = read.Model.FindEntityType(typeof(OutboxMessage))!.FindProperty(nameof(OutboxMessage.Payload))!.GetMaxLength();
        var rows = await read.Outbox.OrderBy(o => o.Id).ToListAsync();
        // Unbounded (text) is the fix; a bounded column must hold the largest batch row.
        Assert.All(rows, r => Assert.True(limit is null || r.Payload.Length <= limit, $"A batch row of {r.Payload.Length} characters exceeds the {limit}-character Payload column."));
        Assert.Equal(messages, rows.SelectMany(ConversationJournal.Read));
    }

    [Fact]
    public async Task Rows_GivesTheSameRowsAppendAdds()
    {
        var transferred = new ConversationTransferred(Guid.CreateVersion7(), null, _agent, "transfer", "prefers e-mail")
        {
            TenantId = _tenant, ConversationId = _conversation, Actor = Actor.Agent(_agent), OccurredAt = _clock.GetUtcNow().UtcDateTime,
        };

        await AppendAsync(commit: true, transferred);
        var (entry, outbox) = ConversationJournal.Rows(transferred);

        await using var db = Db();
        var storedEntry = await db.ConversationEvents.SingleAsync();
        var storedOutbox = await db.Outbox.SingleAsync();
        Assert.NotNull(entry);
        Assert.Equal(
            (entry.TenantId, entry.ConversationId, entry.Type, entry.ActorType, entry.ActorId, entry.Data, entry.CreatedAt),
            (storedEntry.TenantId, storedEntry.ConversationId, storedEntry.Type, storedEntry.ActorType, storedEntry.ActorId, storedEntry.Data, storedEntry.CreatedAt));
        Assert.Equal(
            (outbox.TenantId, outbox.SubjectId, outbox.Type, outbox.Payload, outbox.CreatedAt),
            (storedOutbox.TenantId, storedOutbox.SubjectId, storedOutbox.Type, storedOutbox.Payload, storedOutbox.CreatedAt));
        Assert.Contains("prefers e-mail", storedEntry.Data, StringComparison.Ordinal);
        Assert.DoesNotContain("prefers e-mail", storedOutbox.Payload, StringComparison.Ordinal);
        Assert.Null(ConversationJournal.Rows(Message(_tenant, 1)).Entry);
    }

    private ConversationAssigned Assigned() => new(_agent, "manual")
    {
        TenantId = _tenant, ConversationId = _conversation, Actor = Actor.Agent(_agent), OccurredAt = _clock.GetUtcNow().UtcDateTime,
    };

    private ConversationCreated Created() => new(_inbox, _contact, ConversationHandler.Queue)
    {
        TenantId = _tenant, ConversationId = _conversation, Actor = Actor.Visitor(_contact), OccurredAt = _clock.GetUtcNow().UtcDateTime,
    };

    private MessageCreated Message(Guid tenant, long seq) => new(Guid.CreateVersion7(), seq, SenderType.Visitor, ConversationHandler.Bot, _inbox, _contact)
    {
        TenantId = tenant, ConversationId = _conversation, Actor = Actor.Visitor(_contact), OccurredAt = _clock.GetUtcNow().UtcDateTime,
    };

    /// <returns>The timeline and outbox rows the transaction saw before it ended.</returns>
    private async Task<(int Timeline, int Outbox)> AppendAsync(bool commit, params ConversationEvent[] events)
    {
        await using var db = Db();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var e in events)
        {
            ConversationJournal.Append(db, e);
        }

        await db.SaveChangesAsync();
        var inside = (await db.ConversationEvents.CountAsync(), await db.Outbox.CountAsync());
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        return inside;
    }

    private SqliteKefuDbContext Db()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, PersistenceModule.SqliteConnectionString(Path.GetDirectoryName(_file)!).Replace("kefu.db", Path.GetFileName(_file), StringComparison.Ordinal));
        return new SqliteKefuDbContext(builder.Options);
    }
}
