using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Search;

/// <summary>
/// The full-text index over <see cref="SearchDocument.Terms"/>, which EF's model cannot describe: created at start-up
/// with statements that are no-ops when it exists, so it survives migrations being regenerated (ADR 0012).
/// SQLite: an FTS5 table with external content (the words are not stored twice) kept in step by triggers on
/// <c>SearchDocuments</c> — never on <c>Messages</c>: the message writer's transaction stays as it was.
/// PostgreSQL: a GIN expression index, which needs no triggers.
/// </summary>
internal sealed class SearchIndexSchema(IDbContextFactory<KefuDbContext> dbFactory) : IHostedService
{
    private static readonly string[] Sqlite =
    [
        """CREATE VIRTUAL TABLE IF NOT EXISTS "SearchFts" USING fts5("Terms", content='SearchDocuments', content_rowid='Id', tokenize='unicode61 remove_diacritics 0')""",
        """CREATE TRIGGER IF NOT EXISTS "SearchDocuments_ai" AFTER INSERT ON "SearchDocuments" BEGIN INSERT INTO "SearchFts"(rowid, "Terms") VALUES (new."Id", new."Terms"); END""",
        """CREATE TRIGGER IF NOT EXISTS "SearchDocuments_ad" AFTER DELETE ON "SearchDocuments" BEGIN INSERT INTO "SearchFts"("SearchFts", rowid, "Terms") VALUES ('delete', old."Id", old."Terms"); END""",
        """CREATE TRIGGER IF NOT EXISTS "SearchDocuments_au" AFTER UPDATE OF "Terms" ON "SearchDocuments" BEGIN INSERT INTO "SearchFts"("SearchFts", rowid, "Terms") VALUES ('delete', old."Id", old."Terms"); INSERT INTO "SearchFts"(rowid, "Terms") VALUES (new."Id", new."Terms"); END""",
    ];

    private const string Postgres =
        """CREATE INDEX IF NOT EXISTS "IX_SearchDocuments_Terms" ON "SearchDocuments" USING GIN (to_tsvector('simple'::regconfig, "Terms"))""";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync(Postgres, cancellationToken);
            return;
        }

        var existed = await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM sqlite_master WHERE name = 'SearchFts'""").SingleAsync(cancellationToken) > 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var statement in Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync(statement, cancellationToken);
        }

        if (!existed)
        {
            // Documents written before the table existed (a consumer that started first) are indexed from the content table.
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "SearchFts"("SearchFts") VALUES ('rebuild')""", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
