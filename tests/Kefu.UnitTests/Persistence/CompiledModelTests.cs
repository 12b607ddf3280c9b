using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Kefu.UnitTests.Persistence;

/// <summary>
/// The server runs on the compiled models in <c>Persistence/CompiledModels</c> (a start does not build the model:
/// ADR 0011, round 2). A compiled model is generated code: after a change to an entity or its configuration it is stale
/// until <c>scripts/compiled-model.sh</c> runs again, and a stale one would map the old schema at run time. These tests
/// compare it with the model the entity configurations build (the one migrations are made from) and fail on any
/// difference in entities, tables, properties and their columns, keys, indexes, foreign keys and navigations. (EF's
/// model differ cannot read a compiled model: it keeps only what run time needs.)
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate = "The compiled model is stale: run scripts/compiled-model.sh after changing an entity or its configuration.";

    [Fact]
    public void SqliteCompiledModel_MatchesTheConfiguredModel()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, "Data Source=:memory:");
        using var db = new SqliteKefuDbContext(builder.Options);
        AssertSame(db, typeof(Kefu.Server.Persistence.CompiledModels.Sqlite.SqliteKefuDbContextModel));
    }

    [Fact]
    public void PostgresCompiledModel_MatchesTheConfiguredModel()
    {
        var builder = new DbContextOptionsBuilder<PostgresKefuDbContext>();
        PersistenceModule.ConfigurePostgres(builder, "Host=localhost;Database=kefu_model_check");
        using var db = new PostgresKefuDbContext(builder.Options);
        AssertSame(db, typeof(Kefu.Server.Persistence.CompiledModels.Postgres.PostgresKefuDbContextModel));
    }

    private static void AssertSame(KefuDbContext db, Type compiledType)
    {
        // The context picks the compiled model up by itself; the design-time model is built from the configurations.
        var compiled = db.Model;
        Assert.IsType(compiledType, compiled);
        var configured = db.GetService<IDesignTimeModel>().Model;

        Assert.True(Shape(configured).SequenceEqual(Shape(compiled)), Regenerate + " Differs: " +
            string.Join(", ", Shape(configured).Except(Shape(compiled)).Concat(Shape(compiled).Except(Shape(configured))).Take(10)));
    }

    /// <summary>Every entity with its properties, keys, indexes and navigations, in a stable order.</summary>
    private static IEnumerable<string> Shape(IModel model) => model.GetEntityTypes()
        .SelectMany(e => new[] { $"entity {e.Name} {e.GetTableName()}" }
            .Concat(e.GetProperties().Select(p => $"{e.Name}.{p.Name}: {p.ClrType.Name} {p.GetColumnName()} {p.IsNullable} {p.GetMaxLength()} {p.GetValueConverter()?.GetType().Name}"))
            .Concat(e.GetKeys().Select(k => $"{e.Name} key ({string.Join(",", k.Properties.Select(p => p.Name))})"))
            .Concat(e.GetIndexes().Select(i => $"{e.Name} index ({string.Join(",", i.Properties.Select(p => p.Name))}) {i.IsUnique} {i.GetFilter()}"))
            .Concat(e.GetForeignKeys().Select(f => $"{e.Name} fk ({string.Join(",", f.Properties.Select(p => p.Name))}) -> {f.PrincipalEntityType.Name} {f.DeleteBehavior}"))
            .Concat(e.GetNavigations().Select(n => $"{e.Name} -> {n.Name}")))
        .Order(StringComparer.Ordinal)
        .ToArray();
}
