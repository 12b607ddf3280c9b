using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Conversations;

/// <summary>The sequence and dedup rules of one group commit, on a real SQLite file.</summary>
public sealed class MessageBatchProcessorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kefu-unit-{Guid.NewGuid():N}.db");
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly Guid _inbox = Guid.CreateVersion7();
    private readonly Guid _alice = Guid.CreateVersion7();
    private readonly Guid _bob = Guid.CreateVersion7();
    private MessageBatchProcessor _processor = null!;

    public async Task InitializeAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        db.Tenants.Add(new Tenant { Id = _tenant, Name = "T", CreatedAt = now });
        db.Inboxes.Add(new Inbox { Id = _inbox, TenantId = _tenant, Name = "I", WidgetKey = "k" + _inbox.ToString("N")[..8], CreatedAt = now });
        db.Contacts.Add(new Contact { Id = _alice, TenantId = _tenant, Name = "Alice", CreatedAt = now, LastSeenAt = now });
        db.Contacts.Add(new Contact { Id = _bob, TenantId = _tenant, Name = "Bob", CreatedAt = now, LastSeenAt = now });
        await db.SaveChangesAsync();
        var mapper = new ConversationMapper(new AttachmentUrls(new EphemeralDataProtectionProvider(), TimeProvider.System, Options.Create(new ConversationsOptions())));
        _processor = new MessageBatchProcessor(_clock, Options.Create(new ConversationsOptions { ReopenWindow = TimeSpan.FromHours(24) }), mapper);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OneBatch_NumbersMessagesOfOneConversation_1To3_AndCreatesItOnce()
    {
        var results = await ProcessAsync(Visitor(_alice, "a"), Visitor(_alice, "b"), Visitor(_alice, "c"));

        Assert.Equal([1L, 2L, 3L], results.Select(r => r.Written!.Message.Seq));
        Assert.Single(results.Select(r => r.Written!.Message.ConversationId).Distinct());
        Assert.Equal(["conversation.created"], results[0].Written!.ConversationEvents);
        await using var db = Db();
        Assert.Equal(3, (await db.Conversations.SingleAsync()).LastSeq);
        var events = await db.Outbox.Where(o => o.Type == ConversationJournal.MessagesCreatedBatch).ToListAsync();
        Assert.Equal(3, ConversationJournal.Read(Assert.Single(events)).OfType<MessageCreated>().Count());
    }

    [Fact]
    public async Task SameClientIdTwice_InOneBatchOrTwo_StoresOnce()
    {
        var first = await ProcessAsync(Visitor(_alice, "dup"), Visitor(_alice, "dup"));
        var later = await ProcessAsync(Visitor(_alice, "dup"));

        Assert.False(first[0].Written!.Duplicate);
        Assert.True(first[1].Written!.Duplicate);
        Assert.True(later[0].Written!.Duplicate);
        Assert.Equal(first[0].Written!.Message.Id, later[0].Written!.Message.Id);
        await using var db = Db();
        Assert.Equal(1, await db.Messages.CountAsync());
    }

    [Fact]
    public async Task TwoVisitors_InOneBatch_EachGetTheirOwnConversationFrom1()
    {
        var results = await ProcessAsync(Visitor(_alice, "a1"), Visitor(_bob, "b1"), Visitor(_alice, "a2"));

        Assert.Equal([1L, 1L, 2L], results.Select(r => r.Written!.Message.Seq));
        Assert.NotEqual(results[0].Written!.Message.ConversationId, results[1].Written!.Message.ConversationId);
        Assert.Equal("Bob", results[1].Written!.Conversation.ContactName);
    }

    [Fact]
    public async Task InvalidWrite_GetsItsError_WhileItsNeighboursCommit()
    {
        var otherTenantsConversation = Guid.CreateVersion7();

        var results = await ProcessAsync(
            Visitor(_alice, "ok-1"),
            new MessageWrite(_tenant, _inbox, _alice, otherTenantsConversation, "bad", SenderType.Agent, Guid.NewGuid(), "A", "x", null),
            Visitor(_alice, "att", attachment: Guid.NewGuid()),
            Visitor(_alice, "ok-2"));

        Assert.Equal(ConversationErrors.ConversationNotFound, results[1].Error);
        Assert.Equal(ConversationErrors.AttachmentNotFound, results[2].Error);
        Assert.Equal([1L, 2L], new[] { results[0], results[3] }.Select(r => r.Written!.Message.Seq));
        await using var db = Db();
        Assert.Equal(2, await db.Messages.CountAsync());
    }

    [Fact]
    public async Task VisitorMessage_AfterResolve_ReopensWithinTheWindow_AndStartsNewAfterIt()
    {
        var first = await ProcessAsync(Visitor(_alice, "1"));
        var conversationId = first[0].Written!.Message.ConversationId;
        await ResolveAsync(conversationId);

        _clock.Advance(TimeSpan.FromHours(23));
        var reopened = await ProcessAsync(Visitor(_alice, "2"));
        await ResolveAsync(conversationId);
        _clock.Advance(TimeSpan.FromHours(25));
        var fresh = await ProcessAsync(Visitor(_alice, "3"));

        Assert.Equal(conversationId, reopened[0].Written!.Message.ConversationId);
        Assert.Equal(["conversation.reopened"], reopened[0].Written!.ConversationEvents);
        Assert.Equal(ConversationStatus.Open, reopened[0].Written!.Conversation.Status);
        Assert.NotEqual(conversationId, fresh[0].Written!.Message.ConversationId);
        Assert.Equal(1, fresh[0].Written!.Message.Seq);
    }

    [Fact]
    public async Task AgentReply_ResetsUnread_AndAssignsWhenUnassigned()
    {
        var visitor = await ProcessAsync(Visitor(_alice, "v1"), Visitor(_alice, "v2"));
        var conversationId = visitor[1].Written!.Message.ConversationId;
        var agentId = Guid.CreateVersion7();
        Assert.Equal(2, visitor[1].Written!.Conversation.UnreadCount);

        var reply = await ProcessAsync(new MessageWrite(_tenant, _inbox, _alice, conversationId, "r1", SenderType.Agent, agentId, "Ann", "hi", null));

        var conversation = reply[0].Written!.Conversation;
        Assert.Equal(0, conversation.UnreadCount);
        Assert.Equal(agentId, conversation.AssigneeId);
        Assert.Equal(ConversationHandler.Agent, conversation.Handler);
        Assert.Equal(["conversation.assigned"], reply[0].Written!.ConversationEvents);
    }

    private MessageWrite Visitor(Guid contact, string clientId, Guid? attachment = null) =>
        new(_tenant, _inbox, contact, null, clientId, SenderType.Visitor, contact, null, "text " + clientId, attachment);

    private async Task<List<(MessageWritten? Written, KefuError? Error)>> ProcessAsync(params MessageWrite[] writes)
    {
        return await _processor.ProcessAsync(Db, [.. writes], CancellationToken.None);
    }

    private async Task ResolveAsync(Guid id)
    {
        await using var db = Db();
        var now = _clock.GetUtcNow().UtcDateTime;
        await db.Conversations.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Resolved).SetProperty(c => c.ResolvedAt, now));
    }

    private SqliteKefuDbContext Db()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, PersistenceModule.SqliteConnectionString(Path.GetDirectoryName(_file)!).Replace("kefu.db", Path.GetFileName(_file)));
        return new SqliteKefuDbContext(builder.Options);
    }
}
