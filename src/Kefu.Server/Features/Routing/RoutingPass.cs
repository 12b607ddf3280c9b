using System.Collections.Concurrent;
using System.Diagnostics;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting.Telemetry;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// One routing pass: expire lapsed offers, then for each workspace with waiting conversations load the agents
/// once, walk the line in serving order, let <see cref="RoutingEngine"/> choose, and claim (auto) or offer.
/// Claims are group-committed; each is still a conditional claim, so a lost race just skips that conversation.
/// </summary>
internal sealed partial class RoutingPass(
    IDbContextFactory<KefuDbContext> dbFactory, RoutingAgents agents, OfferExpiry expiry, QueuePositions positions, RoutingFanout fanout,
    IMessageFanout messages, RoutingStats stats, KefuMetrics metrics, IOptions<RoutingOptions> options, TimeProvider time, ILogger<RoutingPass> logger)
{
    private readonly ConcurrentDictionary<Guid, Guid> _cursors = new();
    private long _waiting; // conversations waiting at the start of this pass, over all workspaces (the queue-length gauge)

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var tenants = await expiry.ExpireAsync(cancellationToken);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            tenants.UnionWith(await db.QueueEntries.Where(q => q.State == QueueState.Waiting).Select(q => q.TenantId).Distinct().ToListAsync(cancellationToken));
        }

        var assigned = 0;
        _waiting = 0;
        foreach (var tenantId in tenants)
        {
            try
            {
                assigned += await RouteTenantAsync(tenantId, cancellationToken);
                await positions.PublishAsync(tenantId, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One workspace's bad data must not stop routing for the others: log its id and go on.
                LogTenantFailed(logger, ex, tenantId);
            }
        }

        metrics.QueueLength(_waiting);
        return assigned;
    }

    private async Task<int> RouteTenantAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        stats.PassStarted();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.QueueEntries.AsNoTracking().Where(q => q.TenantId == tenantId && q.State == QueueState.Waiting).ToListAsync(cancellationToken);
        _waiting += entries.Count;
        var inboxIds = entries.Select(e => e.InboxId).Distinct().ToList();
        var settings = await db.InboxRoutings.AsNoTracking().Where(r => inboxIds.Contains(r.InboxId)).ToDictionaryAsync(r => r.InboxId, cancellationToken);
        // Outside business hours nobody is assigned or offered anything: the bot has told the visitor the team is away
        // (AgentAvailability asks the same hours), and the conversation waits for the opening or is a message to answer.
        var instant = time.GetUtcNow();
        var open = settings.Values.Where(s => s.Hours().IsOpen(instant)).Select(s => s.InboxId).ToHashSet();
        entries.RemoveAll(e => !settings.TryGetValue(e.InboxId, out var s) || s.Mode == AssignmentMode.Manual || !open.Contains(e.InboxId));
        if (entries.Count == 0)
        {
            return 0;
        }

        var candidates = await agents.LoadAsync(db, tenantId, cancellationToken);
        var byId = entries.ToDictionary(e => e.ConversationId);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<(QueueEntry Entry, RoutingChoice Choice, double ChooseMillis)>();
        var offers = new List<(QueueEntry Entry, RoutingChoice Choice)>();
        foreach (var item in RoutingEngine.Order(entries.Select(ToItem)))
        {
            var started = Stopwatch.GetTimestamp();
            var entry = byId[item.ConversationId];
            var rules = Rules(settings[entry.InboxId]);
            var choice = RoutingEngine.Choose(item, candidates, rules, now, _cursors.TryGetValue(entry.InboxId, out var c) ? c : null);
            if (choice is null)
            {
                continue;
            }

            var chooseMillis = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            RoutingEngine.Took(choice.Agent, now, claims.Count + offers.Count + 1);
            _cursors[entry.InboxId] = choice.Agent.UserId;
            if (settings[entry.InboxId].Mode == AssignmentMode.Auto)
            {
                claims.Add((entry, choice, chooseMillis));
            }
            else
            {
                offers.Add((entry, choice));
            }
        }

        var done = 0;
        foreach (var batch in claims.Chunk(options.Value.ClaimBatchSize))
        {
            done += await ClaimBatchAsync(tenantId, batch, cancellationToken);
        }

        foreach (var (entry, choice) in offers)
        {
            await OfferAsync(entry, choice, settings[entry.InboxId].OfferTimeoutSeconds, cancellationToken);
        }

        return done;
    }

    private async Task<int> ClaimBatchAsync(Guid tenantId, (QueueEntry Entry, RoutingChoice Choice, double ChooseMillis)[] batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var won = new List<QueueEntry>();
        var latencies = new List<double>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            using (var commands = new BatchClaimCommands(db))
            {
                foreach (var (entry, choice, chooseMillis) in batch)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (await commands.ClaimAsync(tenantId, entry.ConversationId, choice.Agent.UserId, now, cancellationToken) == ClaimOutcome.Claimed)
                    {
                        await commands.RecordAsync(tenantId, entry.ConversationId, choice.Agent.UserId, new ClaimRequest(choice.Reason, null), now, cancellationToken);
                        won.Add(entry);
                        latencies.Add(chooseMillis + Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
            }

            var ids = won.ConvertAll(e => e.ConversationId);
            await db.QueueEntries.Where(q => EF.Parameter(ids).Contains(q.ConversationId)).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            var commit = Stopwatch.GetTimestamp();
            await transaction.CommitAsync(cancellationToken);
            stats.Committed(Stopwatch.GetElapsedTime(commit).TotalMilliseconds);
        }

        latencies.ForEach(stats.Assigned);
        metrics.RoutingDecisions(won.Count, "assigned");
        await AnnounceAsync(tenantId, won, cancellationToken);
        return won.Count;
    }

    private async Task AnnounceAsync(Guid tenantId, List<QueueEntry> won, CancellationToken cancellationToken)
    {
        if (won.Count == 0)
        {
            return;
        }

        var ids = won.ConvertAll(e => e.ConversationId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from c in db.Conversations.AsNoTracking()
                          where EF.Parameter(ids).Contains(c.Id)
                          join p in db.Contacts on c.ContactId equals p.Id
                          select new { Conversation = c, p.Name }).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            messages.ConversationChanged(tenantId, ConversationMapper.ToDto(row.Conversation, row.Name));
            await positions.LeftAsync(row.Conversation.ContactId, row.Conversation.Id, "assigned");
        }
    }

    private async Task OfferAsync(QueueEntry entry, RoutingChoice choice, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now.AddSeconds(timeoutSeconds);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.QueueEntries.Where(q => q.ConversationId == entry.ConversationId && q.State == QueueState.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.State, QueueState.Offered).SetProperty(q => q.OfferedTo, choice.Agent.UserId)
                .SetProperty(q => q.OfferExpiresAt, expires), cancellationToken);
        if (changed == 0)
        {
            return;
        }

        ConversationJournal.Append(db, new ConversationOffered(choice.Agent.UserId, choice.Reason, expires)
        {
            TenantId = entry.TenantId, ConversationId = entry.ConversationId, Actor = Actor.System, OccurredAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.RoutingDecisions(1, "offered");
        var dto = await (from c in db.Conversations.AsNoTracking()
                         where c.Id == entry.ConversationId
                         join p in db.Contacts on c.ContactId equals p.Id
                         select new { Conversation = c, p.Name }).FirstAsync(cancellationToken);
        await fanout.OfferedAsync(entry.TenantId, choice.Agent.UserId, new OfferEvent(ConversationMapper.ToDto(dto.Conversation, dto.Name), expires));
    }

    private static QueueItem ToItem(QueueEntry e) => new(e.ConversationId, e.Rank, e.EnqueuedAt, SkillSet.Parse(e.RequiredSkills), e.TeamId, e.PreferredAgentId,
        e.Declined.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToHashSet()) { InboxId = e.InboxId };

    private static RoutingRules Rules(InboxRouting s) => new(s.Strategy, s.ReturnToPreviousAgent,
        s.OverflowAfterMinutes > 0 ? TimeSpan.FromMinutes(s.OverflowAfterMinutes) : null, s.OverflowTeamId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Routing failed for tenant {TenantId}; other tenants go on")]
    private static partial void LogTenantFailed(ILogger logger, Exception ex, Guid tenantId);
}
