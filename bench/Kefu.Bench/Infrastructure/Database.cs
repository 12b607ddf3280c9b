using Microsoft.Data.Sqlite;

namespace Kefu.Bench.Infrastructure;

/// <summary>Reads the server's SQLite file directly: the ground truth the scenarios check clients against.</summary>
public static class Database
{
    public sealed record Row(Guid ConversationId, long Seq, Guid Id, string ClientMessageId, string Sender);

    public static List<Row> Messages(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ConversationId, Seq, Id, ClientMessageId, SenderType FROM Messages ORDER BY ConversationId, Seq";
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetGuid(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4)));
        }

        return rows;
    }
}
