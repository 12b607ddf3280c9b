using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>The retention job, on a moved clock: what it deletes, in what batches, what it records, and on which node.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Retention_DeletesOnlyEntriesOlderThanTheSetting_InBatches_AndRecordsOnePrunedEntryPerWorkspace()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sql = new LogCollector();
        await using var server = new KefuFactory
        {
            Clock = clock,
            Logs = sql,
            Settings = new Dictionary<string, string>
            {
                ["Kefu:Audit:RetentionDays"] = "30",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
            },
        }.Start();
        var now = clock.GetUtcNow().UtcDateTime;
        using var a = await server.NewWorkspaceAsync();
        using var b = await server.NewWorkspaceAsync();
        await server.SeedAsync([.. Enumerable.Range(0, 1_100).Select(i => AuditRig.Entry(a.TenantId, now.AddDays(-31).AddSeconds(-i)))]);
        var kept = await server.SeedAsync(AuditRig.Entry(a.TenantId, now.AddDays(-29)), AuditRig.Entry(b.TenantId, now.AddDays(-29)));
        await server.SeedAsync([.. Enumerable.Range(0, 10).Select(i => AuditRig.Entry(b.TenantId, now.AddDays(-40)))]);
        await server.SeedAsync(AuditRig.Entry(null, now.AddDays(-31), AuditActions.SignInFailed));

        clock.Advance(TimeSpan.FromMinutes(1)); // the job's first pass
        await Wait.UntilAsync(async () => (await server.EntriesAsync(AuditActions.AuditPruned)).Count == 2, "one audit.pruned entry per workspace");

        var pruned = await server.EntriesAsync(AuditActions.AuditPruned);
        Assert.Equal("deleted=1100; retentionDays=30", Assert.Single(pruned, e => e.TenantId == a.TenantId).Detail);
        Assert.Equal("deleted=10; retentionDays=30", Assert.Single(pruned, e => e.TenantId == b.TenantId).Detail);
        Assert.All(pruned, e => Assert.Null(e.ActorId));
        var left = await server.WithDbAsync(db => db.AuditEntries.Where(e => e.Action != AuditActions.AuditPruned && e.OccurredAt < now.AddDays(-28))
            .Select(e => e.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal(kept, left);
        var deletes = sql.Entries.Count(e => e.Text.Contains("DELETE FROM", StringComparison.Ordinal) && e.Text.Contains("AuditEntries", StringComparison.Ordinal));
        Assert.Equal(3 + 1 + 1, deletes); // 500 + 500 + 100 for a, 10 for b, 1 without a workspace
    }

    [Fact]
    public async Task Retention_RunsOnlyOnTheNodeHoldingTheLease_AndTakesOverWhenItLapses()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        await using var server = new KefuFactory
        {
            Clock = clock,
            Logs = logs,
            Settings = new Dictionary<string, string> { ["Logging:LogLevel:Kefu.Server.Features.Accounts.Audit"] = "Debug" },
        }.Start();
        var now = clock.GetUtcNow().UtcDateTime;
        using var ws = await server.NewWorkspaceAsync();
        await server.SeedAsync(AuditRig.Entry(ws.TenantId, now.AddDays(-400)));
        await server.WithDbAsync(db =>
        {
            db.Leases.Add(new Lease { Name = AuditRetention.LeaseName, Holder = "another-node", ExpiresAt = now.AddDays(1) });
            return db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.Text.Contains("another node holds the lease", StringComparison.Ordinal))),
            "the job to find the lease taken");
        Assert.Equal(1, await server.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == ws.TenantId && e.OccurredAt < now.AddDays(-365))));

        clock.Advance(TimeSpan.FromDays(1)); // the other node's lease lapses; the next hourly check takes it over
        await Wait.UntilAsync(async () => (await server.EntriesAsync(AuditActions.AuditPruned)).Any(e => e.TenantId == ws.TenantId), "the prune after take-over");

        Assert.Equal(0, await server.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == ws.TenantId && e.OccurredAt < now.AddDays(-365))));
        var lease = await server.WithDbAsync(db => db.Leases.AsNoTracking().SingleAsync(l => l.Name == AuditRetention.LeaseName));
        Assert.NotEqual("another-node", lease.Holder);
        Assert.True(lease.ExpiresAt > clock.GetUtcNow().UtcDateTime.AddHours(23), "the holder keeps the lease for the day");
    }

    [Theory]
    [InlineData("29")]
    [InlineData("0")]
    [InlineData("soon")]
    public void Retention_BelowThirtyDaysOrNotANumber_StopsTheServerAtStart(string days)
    {
        using var server = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Audit:RetentionDays"] = days } };

        var error = Record.Exception(() => server.Start());

        Assert.NotNull(error);
        Assert.Contains("RetentionDays", error.ToString());
    }
}
