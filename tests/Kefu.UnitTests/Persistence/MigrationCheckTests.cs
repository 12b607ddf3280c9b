using Kefu.Server.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Kefu.UnitTests.Persistence;

/// <summary>
/// The start-up shortcut: a database whose history ends with this build's newest migration skips EF's migration path;
/// any other database (new, behind, unreadable) takes it, so nothing that needs migrating is skipped.
/// </summary>
public sealed class MigrationCheckTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kefu-migrations-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task UpToDate_OnlyWhenTheNewestMigrationIsApplied()
    {
        await using (var db = Db())
        {
            Assert.False(await PersistenceModule.IsUpToDateAsync(db));
            await db.Database.MigrateAsync();
            Assert.True(await PersistenceModule.IsUpToDateAsync(db));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        // A database one migration behind (its newest history row missing) is not up to date.
        await using (var db = Db())
        {
            var newest = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).Last();
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {newest}");
            Assert.False(await PersistenceModule.IsUpToDateAsync(db));
            Assert.Equal([newest], await db.Database.GetPendingMigrationsAsync());
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private SqliteKefuDbContext Db()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, PersistenceModule.SqliteConnectionString(Path.GetDirectoryName(_file)!).Replace("kefu.db", Path.GetFileName(_file), StringComparison.Ordinal));
        return new SqliteKefuDbContext(builder.Options);
    }
}
