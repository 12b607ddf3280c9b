using System.Data.Common;
using System.Globalization;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// The router's hot path: the same three statements as <see cref="AssignmentClaim"/> (lock the agent's row, read
/// the room left under capacity, conditionally claim the conversation) and the same two rows for a won claim, as
/// prepared commands reused for a whole batch inside its transaction. EF's ExecuteUpdate and change tracking cost a
/// command build per call, which was most of the time of a claim. Identifiers are quoted so the SQL is the same on SQLite and PostgreSQL; only value formats differ.
/// Keep in step with <see cref="AssignmentClaim"/> (the integration tests run both).
/// </summary>
internal sealed class BatchClaimCommands : IDisposable
{
    private const string Lock = "UPDATE \"AgentProfiles\" SET \"LastAssignedAt\" = @now WHERE \"UserId\" = @agent AND \"TenantId\" = @tenant";

    private const string Room = "SELECT \"Capacity\" - (SELECT COUNT(*) FROM \"Conversations\" WHERE \"AssigneeId\" = @agent AND \"Id\" <> @conversation " +
                                "AND \"Status\" IN ('Open', 'Pending')) FROM \"AgentProfiles\" WHERE \"UserId\" = @agent";

    private const string Claim = "UPDATE \"Conversations\" SET \"AssigneeId\" = @agent, \"Handler\" = 'Agent' WHERE \"Id\" = @conversation " +
                                 "AND \"TenantId\" = @tenant AND \"Status\" <> 'Resolved' AND \"AssigneeId\" IS NULL";

    private const string InsertEvent = "INSERT INTO \"ConversationEvents\" (\"TenantId\", \"ConversationId\", \"Type\", \"ActorType\", \"ActorId\", \"Data\", \"CreatedAt\") " +
                                       "VALUES (@tenant, @conversation, @type, @actor, @actorId, @data, @at)";

    private const string InsertOutbox = "INSERT INTO \"Outbox\" (\"TenantId\", \"Type\", \"SubjectId\", \"Payload\", \"CreatedAt\", \"Attempts\") " +
                                        "VALUES (@tenant, @type, @subject, @payload, @at, 0)";

    private readonly bool _sqlite;
    private readonly DbCommand _event;
    private readonly DbCommand _outbox;
    private readonly DbCommand _lock;
    private readonly DbCommand _room;
    private readonly DbCommand _claim;

    public BatchClaimCommands(KefuDbContext db)
    {
        _sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Claims run inside a transaction.");
        _lock = Create(connection, transaction, Lock, "now", "agent", "tenant");
        _room = Create(connection, transaction, Room, "agent", "conversation");
        _claim = Create(connection, transaction, Claim, "agent", "conversation", "tenant");
        _event = Create(connection, transaction, InsertEvent, "tenant", "conversation", "type", "actor", "actorId", "data", "at");
        _outbox = Create(connection, transaction, InsertOutbox, "tenant", "type", "subject", "payload", "at");
    }

    /// <summary>Inserts the rows the journal makes of the won claim's event (the ones <see cref="AssignmentClaim.Record"/> adds).</summary>
    public async Task RecordAsync(Guid tenantId, Guid conversationId, Guid agentId, ClaimRequest request, DateTime now, CancellationToken cancellationToken)
    {
        var (e, o) = ConversationJournal.Rows(AssignmentClaim.Event(tenantId, conversationId, agentId, request, now));
        await Run(_event, cancellationToken, Id(e!.TenantId), Id(e.ConversationId), e.Type, e.ActorType,
            e.ActorId is { } actor ? Id(actor) : DBNull.Value, (object?)e.Data ?? DBNull.Value, Time(e.CreatedAt));
        await Run(_outbox, cancellationToken, Id(o.TenantId), o.Type, Id(o.SubjectId), o.Payload, Time(o.CreatedAt));
    }

    public async Task<ClaimOutcome> ClaimAsync(Guid tenantId, Guid conversationId, Guid agentId, DateTime now, CancellationToken cancellationToken)
    {
        if (await Run(_lock, cancellationToken, Time(now), Id(agentId), Id(tenantId)) == 0)
        {
            return ClaimOutcome.NoAgent;
        }

        Bind(_room, Id(agentId), Id(conversationId));
        if (Convert.ToInt64(await _room.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) <= 0)
        {
            return ClaimOutcome.AtCapacity;
        }

        return await Run(_claim, cancellationToken, Id(agentId), Id(conversationId), Id(tenantId)) == 0 ? ClaimOutcome.Lost : ClaimOutcome.Claimed;
    }

    public void Dispose()
    {
        _lock.Dispose();
        _room.Dispose();
        _claim.Dispose();
        _event.Dispose();
        _outbox.Dispose();
    }

    // EF's SQLite mapping stores Guid as upper-case text and DateTime as sortable text; PostgreSQL takes them natively.
    private object Id(Guid id) => _sqlite ? id.ToString().ToUpperInvariant() : id;

    private object Time(DateTime t) => _sqlite ? t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) : t;

    private static DbCommand Create(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Bind(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static Task<int> Run(DbCommand command, CancellationToken cancellationToken, params object[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
