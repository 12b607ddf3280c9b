using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kefu.Server.Persistence;

/// <summary>
/// One statement shape — an INSERT of all of an entity's columns, or an UPDATE of some columns by a key — run for
/// many rows inside the context's open transaction. Columns, quoting, type mappings and value converters come from
/// the EF model, so values are stored exactly as EF would store them, on either provider.
/// </summary>
/// <remarks>
/// Used on the message hot path instead of change tracking and <c>SaveChanges</c>, which built and parsed a wide
/// multi-statement command per batch: on SQLite, every parameter of it was then looked up by name in every
/// statement (quadratic), and every batch was parsed again. Here SQLite prepares the statement once and runs it per
/// row with a handful of parameters; providers that can batch (PostgreSQL) send all rows in one round trip.
/// </remarks>
internal sealed class RowStatement
{
    private readonly KefuDbContext _db;
    private readonly string _sql;
    private readonly IProperty[] _parameters;
    private readonly List<object?[]> _rows = [];

    private RowStatement(KefuDbContext db, string sql, IProperty[] parameters)
    {
        _db = db;
        _sql = sql;
        _parameters = parameters;
    }

    /// <summary>Rows queued so far.</summary>
    public int Count => _rows.Count;

    /// <summary>
    /// An INSERT of every column EF would write for <typeparamref name="T"/> (client-generated keys included), less
    /// <paramref name="storeGenerated"/>: columns the database fills, such as an AUTOINCREMENT key.
    /// </summary>
    public static RowStatement Insert<T>(KefuDbContext db, params string[] storeGenerated)
    {
        var (entity, table) = Table<T>(db);
        var properties = entity.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save && !storeGenerated.Contains(p.Name))
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (");
        text.AppendJoin(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!))).Append(") VALUES (");
        text.AppendJoin(", ", properties.Select((_, i) => sql.GenerateParameterNamePlaceholder("p" + i))).Append(')');
        return new RowStatement(db, text.ToString(), properties);
    }

    /// <summary>
    /// <c>UPDATE … SET <paramref name="set"/> WHERE <paramref name="where"/></c>, each where-column compared for
    /// equality (null-safe for nullable columns, as EF compares concurrency tokens). Values go to <see cref="Add"/>
    /// in that order: the set columns, then the where columns.
    /// </summary>
    public static RowStatement Update<T>(KefuDbContext db, IReadOnlyList<string> set, IReadOnlyList<string> where)
    {
        var (entity, table) = Table<T>(db);
        var sql = db.GetService<ISqlGenerationHelper>();
        var sqlite = db.Database.IsSqlite();
        var properties = set.Concat(where).Select(name => entity.FindProperty(name) ?? throw new ArgumentException($"{typeof(T).Name}.{name} is not mapped.")).ToArray();
        string Column(int i) => sql.DelimitIdentifier(properties[i].GetColumnName(table)!);
        string Parameter(int i) => sql.GenerateParameterNamePlaceholder("p" + i);

        var text = new StringBuilder("UPDATE ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" SET ");
        text.AppendJoin(", ", Enumerable.Range(0, set.Count).Select(i => $"{Column(i)} = {Parameter(i)}")).Append(" WHERE ");
        text.AppendJoin(" AND ", Enumerable.Range(set.Count, where.Count).Select(i =>
            !properties[i].IsNullable ? $"{Column(i)} = {Parameter(i)}"
            : sqlite ? $"{Column(i)} IS {Parameter(i)}"
            : $"{Column(i)} IS NOT DISTINCT FROM {Parameter(i)}"));
        return new RowStatement(db, text.ToString(), properties);
    }

    /// <summary>Queues one row: values in parameter order, as the entity's CLR values (converters apply).</summary>
    public void Add(params object?[] values)
    {
        if (values.Length != _parameters.Length)
        {
            throw new ArgumentException($"Expected {_parameters.Length} values, got {values.Length}.", nameof(values));
        }

        _rows.Add(values);
    }

    /// <summary>Queues one entity for an INSERT statement.</summary>
    public void AddEntity(object row) => _rows.Add(Array.ConvertAll(_parameters, p => p.GetGetter().GetClrValue(row)));

    /// <summary>Runs every queued row; returns the rows each one affected, in order.</summary>
    public async Task<int[]> ExecuteAsync(CancellationToken cancellationToken)
    {
        var affected = new int[_rows.Count];
        if (_rows.Count == 0)
        {
            return affected;
        }

        await _db.Database.OpenConnectionAsync(cancellationToken);
        var connection = _db.Database.GetDbConnection();
        var transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            await using var scratch = connection.CreateCommand();
            foreach (var row in _rows)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = _sql;
                for (var i = 0; i < _parameters.Length; i++)
                {
                    command.Parameters.Add(Mapping(i).CreateParameter(scratch, "p" + i, row[i], _parameters[i].IsNullable));
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            for (var r = 0; r < _rows.Count; r++)
            {
                affected[r] = batch.BatchCommands[r].RecordsAffected;
            }

            return affected;
        }

        // One prepared statement, parameters created once (so the mapping configures their store type) and given
        // each row's provider values.
        await using var single = connection.CreateCommand();
        single.Transaction = transaction;
        single.CommandText = _sql;
        var parameters = new DbParameter[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            parameters[i] = Mapping(i).CreateParameter(single, "p" + i, _rows[0][i], _parameters[i].IsNullable);
            single.Parameters.Add(parameters[i]);
        }

        await single.PrepareAsync(cancellationToken);
        for (var r = 0; r < _rows.Count; r++)
        {
            if (r > 0)
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    var value = _rows[r][i];
                    parameters[i].Value = (value is null ? null : Mapping(i).Converter?.ConvertToProvider(value) ?? value) ?? DBNull.Value;
                }
            }

            affected[r] = await single.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }

    private RelationalTypeMapping Mapping(int i) => (RelationalTypeMapping)_parameters[i].GetTypeMapping();

    private static (IEntityType Entity, StoreObjectIdentifier Table) Table<T>(KefuDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        return (entity, StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema()));
    }
}
