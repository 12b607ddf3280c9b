using System.Net.Http.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Analytics;
using Kefu.Server.Features.Analytics.Contracts;
using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.IntegrationTests.Analytics;

/// <summary>
/// Conversations started by visitors, then a random sequence of journal events over many hours (written the way producers
/// write them, through the journal and the durable lane), with rollup rebuilds at random moments: afterwards the facts
/// agree with the raw timeline, the rollups with a recomputation from the facts, and the overview with both.
/// </summary>
public sealed class RollupConsistencyTests
{
    [Fact]
    public async Task Rollups_AfterARandomSequenceOfEvents_EqualARecomputationFromRawRows()
    {
        var random = new Random(12);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-3));
        await using var server = new KefuFactory { Clock = clock }.Start();
        var tenant = await server.WithDbAsync(db => db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync());
        var agents = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var teams = new Guid?[] { null, Guid.NewGuid(), Guid.NewGuid() };
        var start = clock.GetUtcNow().UtcDateTime;
        var conversations = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var session = await server.NewVisitorAsync();
            await using var visitor = await server.ConnectVisitorAsync(session.Token);
            var ack = await visitor.InvokeAsync<HubResult<SendMessageResult>>("SendMessage", new VisitorSendMessage(null, "c-" + i, "hello", null));
            conversations.Add(ack.Value!.ConversationId);
            clock.Advance(TimeSpan.FromMinutes(random.Next(5, 50)));
        }

        var refresh = server.Services.GetRequiredService<RefreshRollups>();
        for (var step = 0; step < 160; step++)
        {
            var id = conversations[random.Next(conversations.Count)];
            var at = clock.GetUtcNow().UtcDateTime;
            ConversationEvent e = random.Next(9) switch
            {
                0 => new ConversationQueued(0, false, teams[random.Next(teams.Length)], "") { TenantId = tenant, ConversationId = id, Actor = Actor.System, OccurredAt = at },
                1 or 2 => new ConversationAssigned(agents[random.Next(agents.Length)], "round_robin") { TenantId = tenant, ConversationId = id, Actor = Actor.System, OccurredAt = at },
                3 => new ConversationTransferred(random.Next(2) == 0 ? agents[random.Next(agents.Length)] : null, teams[random.Next(teams.Length)], null, "transfer", null)
                    { TenantId = tenant, ConversationId = id, Actor = Actor.Agent(agents[0]), OccurredAt = at },
                4 => new ConversationResolved { TenantId = tenant, ConversationId = id, Actor = random.Next(3) == 0 ? Actor.System : Actor.Agent(agents[1]), OccurredAt = at },
                5 => new ConversationReopened { TenantId = tenant, ConversationId = id, Actor = Actor.System, OccurredAt = at },
                6 => new ConversationLeftMessage { TenantId = tenant, ConversationId = id, Actor = Actor.System, OccurredAt = at },
                7 => new SurveyAnswered(Guid.NewGuid(), random.Next(2) == 0 ? "csat" : "nps", random.Next(1, 6)) { TenantId = tenant, ConversationId = id, Actor = Actor.System, OccurredAt = at },
                _ => new MessageCreated(Guid.NewGuid(), 100 + step, SenderType.Agent, ConversationHandler.Agent, Guid.Empty, Guid.Empty)
                    { TenantId = tenant, ConversationId = id, Actor = Actor.Agent(agents[2]), OccurredAt = at },
            };
            await server.WithDbAsync(db =>
            {
                if (e is MessageCreated m)
                {
                    ConversationJournal.AppendMessages(db, [m], at);
                }
                else
                {
                    ConversationJournal.Append(db, e);
                }

                return db.SaveChangesAsync();
            });
            server.Services.GetRequiredService<OutboxSignal>().Notify();
            clock.Advance(TimeSpan.FromMinutes(random.Next(1, 45))); // events of one kind at the same instant are taken as one delivery (docs/metrics.md)
            if (random.Next(25) == 0)
            {
                await DrainAsync(server);
                await refresh.RunAsync(CancellationToken.None);
            }
        }

        await DrainAsync(server);
        clock.Advance(TimeSpan.FromHours(2)); // every hour of the sequence is closed now
        while (await refresh.RunAsync(CancellationToken.None) > 0)
        {
        }

        var facts = await server.WithDbAsync(db => db.ConversationFacts.AsNoTracking().Where(f => f.TenantId == tenant).ToListAsync());
        var timeline = await server.WithDbAsync(db => db.ConversationEvents.AsNoTracking().Where(t => t.TenantId == tenant).OrderBy(t => t.Id).ToListAsync());
        var rollups = await server.WithDbAsync(db => db.ReportRollups.AsNoTracking().Where(r => r.TenantId == tenant).ToListAsync());
        var histograms = await server.WithDbAsync(db => db.ReportHistograms.AsNoTracking().Where(r => r.TenantId == tenant).ToListAsync());
        Assert.Equal(0, await server.WithDbAsync(db => db.ReportDirtyHours.CountAsync()));
        Assert.Equal(conversations.Order(), facts.Select(f => f.Id).Order());

        // Facts against the raw timeline, per conversation.
        foreach (var f in facts)
        {
            var own = timeline.Where(t => t.ConversationId == f.Id).ToList();
            Assert.Equal(own.Count(t => t.Type == ConversationTransferred.Name), f.Transfers);
            var lastState = own.LastOrDefault(t => t.Type is ConversationResolved.Name or ConversationReopened.Name && (t.Type == ConversationResolved.Name || own.Any(r => r.Type == ConversationResolved.Name && r.Id < t.Id)));
            Assert.Equal(lastState?.Type == ConversationResolved.Name, f.Resolved);
        }

        // Rollups against a recomputation from the facts, key by key.
        var expected = facts.GroupBy(f => (f.Hour, f.InboxId, f.TeamId, f.AgentId)).ToDictionary(g => g.Key, g => (
            Count: g.Count(), Resolved: g.Count(f => f.Resolved), Abandoned: g.Count(f => f.Abandoned), Transfers: g.Sum(f => f.Transfers),
            Responded: g.Count(f => f.FirstResponseSeconds != null), Response: g.Sum(f => f.FirstResponseSeconds ?? 0), Csat: g.Count(f => f.CsatScore != null)));
        var actual = rollups.ToDictionary(r => (r.Hour, r.InboxId, r.TeamId, r.AgentId), r => (
            Count: r.Conversations, r.Resolved, r.Abandoned, r.Transfers, r.Responded, Response: r.FirstResponseSeconds, Csat: r.CsatAnswers));
        Assert.Equal(expected.OrderBy(k => k.Key), actual.OrderBy(k => k.Key));
        Assert.Equal(facts.Count(f => f.FirstResponseSeconds != null), histograms.Where(h => h.Metric == DurationMetric.FirstResponse).Sum(h => h.Count));
        Assert.Equal(facts.Count(f => f.Resolved), histograms.Where(h => h.Metric == DurationMetric.Resolution).Sum(h => h.Count));

        // The API over the whole range reads the same numbers.
        using var admin = await server.AgentHttpAsync();
        var overview = await admin.GetFromJsonAsync<OverviewReport>(
            $"/api/v1/reports/overview?from={start.AddHours(-1):O}&to={clock.GetUtcNow().UtcDateTime.AddHours(1):O}", KefuFactory.Json);
        Assert.Equal((facts.Count, facts.Count(f => f.Resolved), facts.Sum(f => f.Transfers), facts.Count(f => f.Abandoned)),
            (overview!.Current.Conversations, overview.Current.Resolved, overview.Current.Transfers, overview.Current.Abandoned));
    }

    private static Task DrainAsync(KefuFactory server) => Wait.UntilAsync(
        () => server.WithDbAsync(async db => !await db.Outbox.AnyAsync(o => o.ProcessedAt == null)), "the durable lane to catch up", 30);
}
