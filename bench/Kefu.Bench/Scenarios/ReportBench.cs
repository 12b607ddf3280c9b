using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Kefu.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// <c>report</c>: the report API over 90 days of many conversations. The server runs once to create its schema and is
/// stopped; contacts, conversations and their fact rows (the rows the durable lane's consumer keeps) are bulk-inserted
/// into its SQLite file with every hour marked dirty, as the consumer leaves them. It is started again: its rollup worker
/// builds every hour's rollup (timed). Then overview, traffic and agents over the last 90 days are called one at a time
/// over HTTP as the admin (p95), and a CSV export of about <c>--export-rows</c> rows is read to the end (rows/s, and the
/// server's RSS growth while it streams).
/// </summary>
public static class ReportBench
{
    private static readonly string[] Reasons = ["asked_for_human", "low_confidence", "angry", "no_answer"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var conversations = options.GetInt("conversations", 1_000_000);
        var exportRows = options.GetInt("export-rows", 100_000);
        var queries = options.GetInt("queries", 40);
        await using var server = new ServerProcess();
        await server.StartAsync();
        await server.StopAsync();
        var seeding = Stopwatch.StartNew();
        var now = DateTime.UtcNow;
        Seed(server.DatabaseFile, conversations, now, new Random(42));
        Result.Progress($"report: seeded {conversations} conversations in {seeding.Elapsed.TotalSeconds:F1} s");

        var rollup = Stopwatch.StartNew();
        await server.StartAsync();
        while (rollup.Elapsed < TimeSpan.FromHours(1) && Count(server.DatabaseFile, "SELECT COUNT(*) FROM ReportDirtyHours") > 1)
        {
            await Task.Delay(500);
        }

        var rollupSeconds = rollup.Elapsed.TotalSeconds;
        Result.Progress($"report: rollups built in {rollupSeconds:F1} s");
        using var client = new KefuClient(server.Url);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword));
        var range = "from=" + Uri.EscapeDataString(now.AddDays(-90).ToString("O", CultureInfo.InvariantCulture));
        var overview = await TimeAsync(http, "/api/v1/reports/overview?" + range, queries);
        var traffic = await TimeAsync(http, "/api/v1/reports/traffic?" + range, queries);
        var agents = await TimeAsync(http, "/api/v1/reports/agents?" + range, queries);

        var days = Math.Min(90, Math.Ceiling(90.0 * exportRows / conversations));
        var (rows, seconds, growthMb) = await ExportAsync(http, server, "/api/v1/reports/conversations/export?from=" +
            Uri.EscapeDataString(now.AddDays(-days).ToString("O", CultureInfo.InvariantCulture)));
        var peakMb = server.PeakRssKiB() / 1024.0;
        await server.StopAsync();
        var result = new
        {
            conversations,
            overviewP95Millis = Math.Round(overview, 1),
            trafficP95Millis = Math.Round(traffic, 1),
            agentsP95Millis = Math.Round(agents, 1),
            exportRowsPerSecond = Math.Round(rows / seconds),
            peakRssMb = Math.Round(peakMb),
            exportRows = rows,
            exportRssGrowthMb = Math.Round(growthMb),
            rollupSeconds = Math.Round(rollupSeconds, 1),
        };
        return Result.Print(result, Math.Max(overview, Math.Max(traffic, agents)) <= 200 && rows / seconds >= 50_000 && growthMb < 200);
    }

    private static async Task<double> TimeAsync(HttpClient http, string url, int count)
    {
        for (var i = 0; i < 5; i++)
        {
            (await http.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up: JIT, page cache
        }

        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
    }

    /// <summary>Reads the export to the end line by line (never whole), sampling the server's RSS meanwhile.</summary>
    private static async Task<(long Rows, double Seconds, double GrowthMb)> ExportAsync(HttpClient http, ServerProcess server, string url)
    {
        var before = server.RssKiB();
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.RssKiB());
                await Task.Delay(50);
            }
        });
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long rows = -1; // the header
        while (await reader.ReadLineAsync() is not null)
        {
            rows++;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        return (rows, seconds, (peak - before) / 1024.0);
    }

    /// <summary>
    /// Conversations over 90 days, more on weekdays' working hours: 40% start with the bot (55% of those it finishes),
    /// 6% of those waiting leave, agents answer in about a minute (long tail), some are reopened, transferred, surveyed.
    /// </summary>
    private static void Seed(string file, int count, DateTime now, Random random)
    {
        using var db = Open(file);
        var tenant = Scalar(db, "SELECT Id FROM Tenants ORDER BY CreatedAt LIMIT 1");
        var inbox = Scalar(db, "SELECT Id FROM Inboxes ORDER BY CreatedAt LIMIT 1");
        var admin = Scalar(db, "SELECT Id FROM AspNetUsers ORDER BY Email LIMIT 1");
        var agents = Enumerable.Range(0, 24).Select(_ => Id(Guid.NewGuid())).Append(admin).ToArray();
        var teams = Enumerable.Range(0, 3).Select(_ => Id(Guid.NewGuid())).ToArray();
        var start = now.AddDays(-90);
        using var tx = db.BeginTransaction();
        using var contact = Prepare(db, tx, "INSERT INTO Contacts (Id, TenantId, Name, CreatedAt, LastSeenAt, Tags) VALUES ($id, $t, $n, $at, $at, $tags)", 5);
        using var conversation = Prepare(db, tx, "INSERT INTO Conversations (Id, TenantId, InboxId, ContactId, Status, Handler, Priority, LastSeq, UnreadCount, " +
                                                 "CreatedAt, LastMessageAt) VALUES ($id, $t, $i, $c, $s, $h, 'Normal', $seq, 0, $at, $last)", 9);
        using var fact = Prepare(db, tx, "INSERT INTO ConversationFacts (Id, TenantId, InboxId, CreatedAt, Hour, StartedBy, Tags, BotInvolved, HandedOffAt, " +
            "HandOffReason, QueuedAt, WaitSeconds, FirstAssignedAt, LastAssignedAt, AgentId, Agents, TeamId, ResponseClockAt, FirstResponseAt, FirstResponseSeconds, " +
            "FirstResolvedAt, ResolvedAt, ResolutionSeconds, Resolved, Reopens, HandlingSeconds, Transfers, Abandoned, AbandonedAfterSeconds, VisitorMessages, " +
            "AgentMessages, BotMessages, CsatScore, NpsScore, UpdatedAt) VALUES ($1, $2, $3, $4, $5, 'visitor', $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, " +
            "$16, $17, $18, $19, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $4)", 31);
        var hours = new HashSet<DateTime>();
        for (var n = 0; n < count; n++)
        {
            var at = Arrival(random, start);
            var hour = new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc);
            hours.Add(hour);
            var (contactId, conversationId) = (Id(Guid.NewGuid()), Id(Guid.CreateVersion7(new DateTimeOffset(at))));
            var tags = random.NextDouble() switch { < 0.1 => "vip", < 0.3 => "wholesale", _ => "" };
            var bot = random.NextDouble() < 0.4;
            var contained = bot && random.NextDouble() < 0.55;
            DateTime? handedOff = bot && !contained ? at.AddSeconds(LogNormal(random, 90, 1)) : null;
            DateTime? queued = contained ? null : handedOff ?? at;
            var abandoned = queued is not null && random.NextDouble() < 0.06;
            var wait = queued is null ? 0 : LogNormal(random, abandoned ? 120 : 40, 1);
            DateTime? assigned = queued is not null && !abandoned ? queued.Value.AddSeconds(wait) : null;
            var responseSeconds = assigned is not null ? (assigned.Value - queued!.Value).TotalSeconds + LogNormal(random, 25, 1.1) : (double?)null;
            var handling = assigned is null ? 0 : LogNormal(random, 600, 0.9);
            var resolvedAt = assigned?.AddSeconds(handling) ?? (contained ? at.AddSeconds(LogNormal(random, 180, 1)) : queued!.Value.AddSeconds(wait));
            var resolved = random.NextDouble() < 0.93 && resolvedAt < now;
            var agent = assigned is null ? null : agents[random.Next(agents.Length)];
            var team = assigned is null ? null : teams[random.Next(teams.Length)];
            int? csat = resolved && random.NextDouble() < 0.25 ? random.NextDouble() switch { < 0.45 => 5, < 0.75 => 4, < 0.87 => 3, < 0.94 => 2, _ => 1 } : null;
            int? nps = resolved && random.NextDouble() < 0.1 ? random.Next(0, 11) : null;
            var visitorMessages = random.Next(1, 10);
            var agentMessages = agent is null ? 0 : random.Next(1, 10);
            Run(contact, contactId, tenant, "Visitor " + n, Time(at), tags);
            Run(conversation, conversationId, tenant, inbox, contactId, resolved ? "Resolved" : "Open", agent is null ? (contained ? "Bot" : "Queue") : "Agent",
                visitorMessages + agentMessages, Time(at), Time(resolvedAt));
            Run(fact, conversationId, tenant, inbox, Time(at), Time(hour), tags, bot ? 1 : 0, Time(handedOff), handedOff is null ? null : Reasons[random.Next(Reasons.Length)],
                Time(queued), wait, Time(assigned), agent, agent ?? "", team, Time(queued), Time(responseSeconds is null ? null : at.AddSeconds(responseSeconds.Value)),
                responseSeconds, Time(resolved ? resolvedAt : null), resolved ? (resolvedAt - at).TotalSeconds : null, resolved ? 1 : 0,
                resolved && random.NextDouble() < 0.05 ? 1 : 0, handling, random.NextDouble() < 0.08 ? 1 : 0, abandoned ? 1 : 0, abandoned ? wait : null,
                visitorMessages, agentMessages, bot ? random.Next(1, 5) : 0, csat, nps);
        }

        using var dirty = Prepare(db, tx, "INSERT INTO ReportDirtyHours (TenantId, Hour, Version) VALUES ($t, $h, 1)", 2);
        foreach (var hour in hours)
        {
            Run(dirty, tenant, Time(hour));
        }

        tx.Commit();
        Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>A start time within the 90 days, weighted by hour of the week (working hours of weekdays busiest).</summary>
    private static DateTime Arrival(Random random, DateTime start)
    {
        while (true)
        {
            var at = start.AddSeconds(random.NextDouble() * 90 * 86400);
            var local = at.AddHours(8); // the business's clock (UTC+8)
            var weekend = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            var weight = local.Hour switch { >= 9 and < 12 => 1.0, >= 13 and < 18 => 0.9, >= 19 and < 23 => 0.5, >= 7 and < 9 => 0.35, 12 or 18 => 0.6, _ => 0.08 }
                         * (weekend ? 0.5 : 1.0);
            if (random.NextDouble() < weight)
            {
                return at;
            }
        }
    }

    private static double LogNormal(Random random, double median, double sigma)
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return median * Math.Exp(sigma * normal);
    }

    // EF Core's SQLite mapping: Guid as upper-case text, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
    private static string Id(Guid id) => id.ToString().ToUpperInvariant();

    private static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static SqliteConnection Open(string file)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        db.Open();
        return db;
    }

    private static string Scalar(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    private static long Count(string file, string sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prepared statement whose parameters are bound by position ($1 … or named in order of appearance).</summary>
    private static SqliteCommand Prepare(SqliteConnection db, SqliteTransaction tx, string sql, int parameters)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        var names = System.Text.RegularExpressions.Regex.Matches(sql, @"\$\w+").Select(m => m.Value).Distinct().ToList();
        if (names.Count != parameters)
        {
            throw new InvalidOperationException($"Expected {parameters} parameters, found {names.Count}.");
        }

        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
