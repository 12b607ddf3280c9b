using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kefu.Server.Persistence;

/// <summary>
/// Inserts many rows of one entity type with a single multi-row <c>INSERT … VALUES (…),(…)</c>,
/// inside the context's current transaction. Columns, quoting, type mappings and value converters
/// all come from the EF model, so rows are stored exactly as EF would store them, on either
/// provider. Used on the message hot path, where one command per row dominated the commit.
/// </summary>
internal static class BulkInsert
{
    // Rows per statement. Parameters bind by name, and SQLite finds a name by scanning the
    // statement's parameter list, so binding cost grows with the square of the statement size:
    // many small multi-row statements are faster than one huge one.
    private const int RowsPerStatement = 16;

    public static async Task InsertAsync<T>(KefuDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        // Every column EF would write: keys the client generates included, store-generated ones left out.
        var properties = entityType.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save)
            .ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ";
        var perCommand = RowsPerStatement;

        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(cancellationToken);
        for (var start = 0; start < rows.Count; start += perCommand)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(head);
            var end = Math.Min(rows.Count, start + perCommand);
            for (var r = start; r < end; r++)
            {
                text.Append(r == start ? "(" : ", (");
                for (var c = 0; c < properties.Length; c++)
                {
                    var name = "p" + ((r - start) * properties.Length + c);
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                    command.Parameters.Add(Parameter(command, properties[c], name, rows[r]));
                }

                text.Append(')');
            }

            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Parameter(DbCommand command, IProperty property, string name, object row)
    {
        var mapping = (RelationalTypeMapping)property.GetTypeMapping();
        var value = property.GetGetter().GetClrValue(row);
        return mapping.CreateParameter(command, "@" + name, value, property.IsNullable);
    }
}
