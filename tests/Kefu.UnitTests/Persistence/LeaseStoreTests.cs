using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Persistence;

/// <summary>Two nodes sharing one SQLite file and one moved-by-hand clock compete for a lease.</summary>
public sealed class LeaseStoreTests : IAsyncLifetime
{
    private const string Name = "outbox";
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kefu-lease-{Guid.NewGuid():N}.db");
    private readonly NodeIdentity _nodeA = new();
    private readonly NodeIdentity _nodeB = new();
    private readonly LeaseStore _a;
    private readonly LeaseStore _b;

    public LeaseStoreTests()
    {
        _a = Store(_nodeA);
        _b = Store(_nodeB);
    }

    public async Task InitializeAsync()
    {
        await using var db = Db();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HoldAsync_WhileTheHolderRenews_TheOtherNodeCannotTakeIt()
    {
        Assert.NotEqual(_nodeA.Id, _nodeB.Id);
        var start = Now();

        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));
        Assert.False(await _b.HoldAsync(Name, CancellationToken.None));
        Assert.Equal((_nodeA.Id, start + Duration), await StoredAsync());

        _clock.Advance(TimeSpan.FromSeconds(6)); // past a third: the holder renews
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));
        Assert.Equal((_nodeA.Id, Now() + Duration), await StoredAsync());

        _clock.Advance(TimeSpan.FromSeconds(10)); // the first expiry has passed, the renewed one has not
        Assert.False(await _b.HoldAsync(Name, CancellationToken.None));
        Assert.Equal(_nodeA.Id, (await StoredAsync()).Holder);
    }

    [Fact]
    public async Task HoldAsync_WithinTheFirstThird_AnswersWithoutWriting()
    {
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));
        var expires = (await StoredAsync()).ExpiresAt;

        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));

        Assert.Equal(expires, (await StoredAsync()).ExpiresAt);
    }

    [Fact]
    public async Task HoldAsync_AfterTheLeaseExpiresUnrenewed_TheOtherNodeTakesIt_AndTheFirstReportsItLost()
    {
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));

        _clock.Advance(Duration + TimeSpan.FromSeconds(1));
        Assert.True(await _b.HoldAsync(Name, CancellationToken.None));

        Assert.False(await _a.HoldAsync(Name, CancellationToken.None));
        Assert.Equal((_nodeB.Id, Now() + Duration), await StoredAsync());
        Assert.True(await _b.HoldAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_LetsTheOtherNodeTakeTheLeaseAtOnce()
    {
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));
        Assert.False(await _b.HoldAsync(Name, CancellationToken.None));

        await _a.ReleaseAsync(Name, CancellationToken.None);

        Assert.True(await _b.HoldAsync(Name, CancellationToken.None));
        Assert.False(await _a.HoldAsync(Name, CancellationToken.None));
        Assert.Equal(_nodeB.Id, (await StoredAsync()).Holder);
    }

    [Fact]
    public async Task ReleaseAsync_ByANodeThatDoesNotHoldIt_ChangesNothing()
    {
        Assert.True(await _a.HoldAsync(Name, CancellationToken.None));
        var before = await StoredAsync();

        await _b.ReleaseAsync(Name, CancellationToken.None);

        Assert.Equal(before, await StoredAsync());
        Assert.False(await _b.HoldAsync(Name, CancellationToken.None));
    }

    [Fact]
    public async Task HoldAsync_ByTwoNodesAtOnce_OnANewLease_ExactlyOneWins()
    {
        for (var round = 0; round < 20; round++)
        {
            var name = $"job-{round}";

            var won = await Task.WhenAll(Task.Run(() => _a.HoldAsync(name, CancellationToken.None)), Task.Run(() => _b.HoldAsync(name, CancellationToken.None)));

            Assert.Single(won, w => w);
        }
    }

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private async Task<(string Holder, DateTime ExpiresAt)> StoredAsync()
    {
        await using var db = Db();
        var lease = await db.Leases.AsNoTracking().SingleAsync(l => l.Name == Name);
        return (lease.Holder, lease.ExpiresAt);
    }

    private LeaseStore Store(NodeIdentity node) =>
        new(new Factory(Db), node, Options.Create(new ClusterOptions { LeaseDuration = Duration }), _clock, NullLogger<LeaseStore>.Instance);

    private SqliteKefuDbContext Db()
    {
        var builder = new DbContextOptionsBuilder<SqliteKefuDbContext>();
        PersistenceModule.ConfigureSqlite(builder, PersistenceModule.SqliteConnectionString(Path.GetDirectoryName(_file)!).Replace("kefu.db", Path.GetFileName(_file), StringComparison.Ordinal));
        return new SqliteKefuDbContext(builder.Options);
    }

    /// <summary>What the server's pooled factory gives the store: a new context per operation.</summary>
    private sealed class Factory(Func<KefuDbContext> create) : IDbContextFactory<KefuDbContext>
    {
        public KefuDbContext CreateDbContext() => create();
    }
}
