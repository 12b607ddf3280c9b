using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Routing;

/// <summary>
/// The conditional claim on a real SQLite file, through both implementations (LINQ for single claims, prepared
/// commands for the router's batches): they must agree on every outcome.
/// </summary>
public sealed class ClaimTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kefu-claim-{Guid.NewGuid():N}.db");
    private readonly Guid _tenant = Guid.CreateVersion7();
    private readonly Guid _agent = Guid.CreateVersion7();
    private readonly Guid _other = Guid.CreateVersion7();
    private readonly List<Guid> _conversations = [];

    public async Task InitializeAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        var inbox = Guid.CreateVersion7();
        var contact = Guid.CreateVersion7();
        db.Tenants.Add(new Tenant { Id = _tenant, Name = "T", CreatedAt = now });
        db.Inboxes.Add(new Inbox { Id = inbox, TenantId = _tenant, Name = "I", WidgetKey = "k" + inbox.ToString("N")[..8], CreatedAt = now });
        db.Contacts.Add(new Contact { Id = contact, TenantId = _tenant, Name = "C", CreatedAt = now, LastSeenAt = now });
        foreach (var id in new[] { _agent, _other })
        {
            db.Users.Add(new AgentUser { Id = id, TenantId = _tenant, DisplayName = "A", UserName = id.ToString(), CreatedAt = now });
            db.AgentProfiles.Add(new AgentProfile { UserId = id, TenantId = _tenant, Capacity = 1, PresenceChangedAt = now });
        }

        for (var i = 0; i < 2; i++)
        {
            var id = Guid.CreateVersion7();
            _conversations.Add(id);
            db.Conversations.Add(new Conversation { Id = id, TenantId = _tenant, InboxId = inbox, ContactId = contact, CreatedAt = now, LastMessageAt = now });
        }

        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Claim_WinsOnce_RespectsCapacity_RefusesUnknownAgents(bool prepared)
    {
        Assert.Equal(ClaimOutcome.Claimed, await ClaimAsync(prepared, _conversations[0], _agent));
        Assert.Equal(ClaimOutcome.AtCapacity, await ClaimAsync(prepared, _conversations[1], _agent));
        Assert.Equal(ClaimOutcome.Lost, await ClaimAsync(prepared, _conversations[0], _other));
        Assert.Equal(ClaimOutcome.NoAgent, await ClaimAsync(prepared, _conversations[1], Guid.CreateVersion7()));
        Assert.Equal(ClaimOutcome.Claimed, await ClaimAsync(prepared, _conversations[1], _other));

        await using var db = Db();
        var assignees = await db.Conversations.ToDictionaryAsync(c => c.Id, c => c.AssigneeId);
        Assert.Equal([_agent, _other], _conversations.Select(id => assignees[id]!.Value));
        Assert.Equal(2, await db.ConversationEvents.CountAsync(e => e.Type == "conversation.assigned"));
        Assert.Equal(2, await db.Outbox.CountAsync(o => o.Type == "conversation.assigned"));
    }

    private async Task<ClaimOutcome> ClaimAsync(bool prepared, Guid conversationId, Guid agentId)
    {
        await using var db = Db();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = _clock.GetUtcNow().UtcDateTime;
        ClaimOutcome outcome;
        if (prepared)
        {
            using var commands = new BatchClaimCommands(db);
            outcome = await commands.ClaimAsync(_tenant, conversationId, agentId, now, CancellationToken.None);
            if (outcome == ClaimOutcome.Claimed)
            {
                await commands.RecordAsync(_tenant, conversationId, agentId, new ClaimRequest("round_robin", null), now, CancellationToken.None);
            }
        }
        else
        {
            outcome = await AssignmentClaim.ClaimAsync(db, _tenant, conversationId, agentId, new ClaimRequest("manual", agentId), now, CancellationToken.None);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return outcome;
    }

    private SqliteKefuDbContext Db()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, PersistenceModule.SqliteConnectionString(Path.GetDirectoryName(_file)!).Replace("kefu.db", Path.GetFileName(_file), StringComparison.Ordinal));
        return new SqliteKefuDbContext(builder.Options);
    }
}
