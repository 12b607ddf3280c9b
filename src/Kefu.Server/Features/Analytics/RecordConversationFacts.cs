using System.Collections.Concurrent;
using System.Text;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Keeps <see cref="ConversationFact"/> rows current from the durable lane and marks the hours whose rollups must be
/// rebuilt. Set-based on purpose (the message path is measured): a pass reads the facts it touches with one query,
/// the conversations it has no fact for (and those resolved, for their tags) with one more, message counts of
/// resolved conversations with one, and writes everything with one <c>SaveChanges</c> and one upsert of dirty hours,
/// whatever the number of events. Of messages it takes only agents' ones, and only until a conversation's first response
/// is known: visitors' and the bot's messages never reach it.
/// </summary>
internal sealed partial class RecordConversationFacts(IDbContextFactory<KefuDbContext> dbFactory, ILogger<RecordConversationFacts> logger) : IOutboxConsumer
{
    /// <summary>Conversations whose first response is stored: their next agent messages are not even handed to us.</summary>
    private readonly ConcurrentDictionary<Guid, byte> _responded = new();
    private const int MaxRemembered = 100_000;

    public string Name => "analytics";

    public bool Handles(ConversationEvent e) => e switch
    {
        MessageCreated m => m.Sender == SenderType.Agent && !_responded.ContainsKey(m.ConversationId),
        ConversationCreated or ConversationHandedOff or ConversationQueued or ConversationAssigned or ConversationTransferred
            or ConversationResolved or ConversationReopened or ConversationLeftMessage or ConversationDeleted or SurveyAnswered => true,
        _ => false,
    };

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var wanted = events.Where(Handles).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = wanted.Select(e => e.ConversationId).Distinct().ToList();
        var facts = await db.ConversationFacts.Where(f => EF.Parameter(ids).Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        var resolved = wanted.OfType<ConversationResolved>().Select(e => e.ConversationId).Distinct().ToList();
        var unknown = ids.Where(id => !facts.ContainsKey(id)).ToList();
        var info = await ConversationsAsync(db, [.. unknown.Union(resolved)], cancellationToken);
        var dirty = new HashSet<(Guid Tenant, DateTime Hour)>();
        foreach (var e in wanted)
        {
            Apply(db, facts, info, e, dirty);
        }

        await CountMessagesAsync(db, facts, resolved, cancellationToken);
        if (dirty.Count == 0)
        {
            return;
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await MarkDirtyAsync(db, dirty, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        Remember(facts.Values);
        LogRecorded(logger, wanted.Count, dirty.Count);
    }

    private static void Apply(
        KefuDbContext db, Dictionary<Guid, ConversationFact> facts, Dictionary<Guid, ConversationInfo> info, ConversationEvent e, HashSet<(Guid, DateTime)> dirty)
    {
        if (!facts.TryGetValue(e.ConversationId, out var fact))
        {
            if (e is ConversationDeleted || !info.TryGetValue(e.ConversationId, out var c) || c.TenantId != e.TenantId)
            {
                return; // deleted meanwhile, or never ours: nothing to count
            }

            fact = FactTimeline.Start(c.Id, c.TenantId, c.InboxId, c.CreatedAt, c.Tags);
            db.ConversationFacts.Add(fact);
            facts.Add(fact.Id, fact);
            dirty.Add((fact.TenantId, fact.Hour));
        }

        if (e is ConversationDeleted)
        {
            db.ConversationFacts.Remove(fact);
            facts.Remove(fact.Id);
            dirty.Add((fact.TenantId, fact.Hour));
            return;
        }

        if (e is ConversationResolved && info.TryGetValue(fact.Id, out var current) && fact.Tags != current.Tags)
        {
            fact.Tags = current.Tags;
        }

        if (FactTimeline.Apply(fact, e))
        {
            dirty.Add((fact.TenantId, fact.Hour));
        }
    }

    /// <summary>Inbox, start and the contact's tags of conversations, one query for the whole pass.</summary>
    private static async Task<Dictionary<Guid, ConversationInfo>> ConversationsAsync(KefuDbContext db, List<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? []
            : await db.Conversations.AsNoTracking().Where(c => EF.Parameter(ids).Contains(c.Id))
                .Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => new ConversationInfo(c.Id, c.TenantId, c.InboxId, c.CreatedAt, k.Tags))
                .ToDictionaryAsync(c => c.Id, cancellationToken);

    /// <summary>Messages each side of the conversations resolved in this pass: one grouped count, not a read per message.</summary>
    private static async Task CountMessagesAsync(
        KefuDbContext db, Dictionary<Guid, ConversationFact> facts, List<Guid> resolved, CancellationToken cancellationToken)
    {
        var counted = resolved.Where(facts.ContainsKey).ToList();
        if (counted.Count == 0)
        {
            return;
        }

        var counts = await db.Messages.AsNoTracking().Where(m => EF.Parameter(counted).Contains(m.ConversationId))
            .GroupBy(m => new { m.ConversationId, m.SenderType }).Select(g => new { g.Key.ConversationId, g.Key.SenderType, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var id in counted)
        {
            var fact = facts[id];
            int Of(SenderType sender) => counts.Where(c => c.ConversationId == id && c.SenderType == sender).Sum(c => c.Count);
            (fact.VisitorMessages, fact.AgentMessages, fact.BotMessages) = (Of(SenderType.Visitor), Of(SenderType.Agent), Of(SenderType.Bot));
        }
    }

    /// <summary>
    /// One upsert for every hour touched: the version goes up, so a refresh that read the hour before this commit
    /// leaves the mark for the next one. Portable SQL: SQLite and PostgreSQL both take <c>ON CONFLICT … DO UPDATE</c>.
    /// </summary>
    private static async Task MarkDirtyAsync(KefuDbContext db, HashSet<(Guid Tenant, DateTime Hour)> dirty, CancellationToken cancellationToken)
    {
        var values = new List<string>(dirty.Count);
        var parameters = new List<object>(dirty.Count * 2);
        foreach (var (tenant, hour) in dirty)
        {
            values.Add($"({{{parameters.Count}}}, {{{parameters.Count + 1}}}, 1)");
            parameters.Add(tenant);
            parameters.Add(hour);
        }

        var sql = new StringBuilder("INSERT INTO \"ReportDirtyHours\" (\"TenantId\", \"Hour\", \"Version\") VALUES ").AppendJoin(", ", values);
        sql.Append(" ON CONFLICT (\"TenantId\", \"Hour\") DO UPDATE SET \"Version\" = \"ReportDirtyHours\".\"Version\" + 1");
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    private void Remember(IEnumerable<ConversationFact> facts)
    {
        if (_responded.Count > MaxRemembered)
        {
            _responded.Clear(); // forgetting costs one indexed read the next time; remembering forever costs memory
        }

        foreach (var fact in facts.Where(f => f.FirstResponseAt is not null))
        {
            _responded.TryAdd(fact.Id, 0);
        }
    }

    private sealed record ConversationInfo(Guid Id, Guid TenantId, Guid InboxId, DateTime CreatedAt, string Tags);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation facts: {Events} events applied, {Hours} hours to roll up again")]
    private static partial void LogRecorded(ILogger logger, int events, int hours);
}
