using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Kefu.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// <c>route</c>: assignment throughput and decision latency of the real server's router with many agents and a
/// long queue. The server runs once to create its schema, is stopped, and the agents, contacts, conversations and
/// queue entries are bulk-inserted into its SQLite file (creating 10,000 conversations through the widget would
/// measure the message path, not routing). It is then started again with the inbox on auto-assign and
/// <c>Kefu:Routing:RequireConnection=false</c> (the agents have presence but no sockets); its first pass routes
/// the whole queue. The numbers are the server's own counters (<c>GET /api/v1/routing/stats</c>): decision latency
/// is the engine's choice plus the claim's statements for one conversation; claims are group-committed.
/// </summary>
public static class RouteBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var agents = options.GetInt("agents", 1000);
        var waiting = options.GetInt("conversations", 10_000);
        var capacity = options.GetInt("capacity", (int)Math.Ceiling(waiting * 1.2 / agents));
        var strategy = options.GetString("strategy", "RoundRobin")!;
        var env = new Dictionary<string, string> { ["Kefu__Routing__RequireConnection"] = "false", ["Kefu__Routing__ExposeStats"] = "true" };
        await using var server = new ServerProcess(environment: env, serverDirectory: options.GetString("server-dir"));
        await server.StartAsync();
        await server.StopAsync();

        var seeding = Stopwatch.StartNew();
        Seed(server.DatabaseFile, agents, waiting, capacity, strategy);
        Console.Error.WriteLine($"route: seeded {agents} agents and {waiting} waiting conversations in {seeding.Elapsed.TotalSeconds:F1} s");

        var started = Stopwatch.StartNew();
        await server.StartAsync();
        using var client = new KefuClient(server.Url);
        using var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword));
        JsonElement stats = default;
        while (started.Elapsed < TimeSpan.FromMinutes(5))
        {
            stats = await http.GetFromJsonAsync<JsonElement>("/api/v1/routing/stats");
            if (stats.GetProperty("assignments").GetInt64() >= waiting)
            {
                break;
            }

            await Task.Delay(200);
        }

        var assigned = Count(server.DatabaseFile, "SELECT COUNT(*) FROM Conversations WHERE AssigneeId IS NOT NULL");
        var overCapacity = Count(server.DatabaseFile,
            $"SELECT COUNT(*) FROM (SELECT AssigneeId FROM Conversations WHERE AssigneeId IS NOT NULL GROUP BY AssigneeId HAVING COUNT(*) > {capacity})");
        var result = new
        {
            scenario = "route",
            agents,
            conversations = waiting,
            capacity,
            strategy,
            assigned,
            overCapacity,
            assignmentsPerSecond = stats.GetProperty("assignmentsPerSecond").GetDouble(),
            p50Millis = stats.GetProperty("p50Millis").GetDouble(),
            p99Millis = stats.GetProperty("p99Millis").GetDouble(),
            commitP99Millis = stats.GetProperty("commitP99Millis").GetDouble(),
            routingSeconds = stats.GetProperty("seconds").GetDouble(),
        };
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
        await server.StopAsync();
        return assigned == waiting && overCapacity == 0 ? 0 : 1;
    }

    private static void Seed(string file, int agents, int waiting, int capacity, string strategy)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        db.Open();
        var tenant = Scalar(db, "SELECT Id FROM Tenants ORDER BY CreatedAt LIMIT 1");
        var inbox = Scalar(db, "SELECT Id FROM Inboxes ORDER BY CreatedAt LIMIT 1");
        var now = DateTime.UtcNow;
        using var tx = db.BeginTransaction();
        Exec(db, tx, "UPDATE Inboxes SET BotEnabled = 0");
        Exec(db, tx, "INSERT INTO InboxRoutings (InboxId, TenantId, Strategy, Mode, OfferTimeoutSeconds, RequiredSkills, OverflowAfterMinutes, " +
                     "ReturnToPreviousAgent, VipTags, TimeZone, BusinessHours, Holidays) VALUES ($i, $t, $s, 'Auto', 30, '', 0, 1, 'vip', 'UTC', '', '')",
            ("$i", inbox), ("$t", tenant), ("$s", strategy));
        using (var user = Prepare(db, tx, "INSERT INTO AspNetUsers (Id, TenantId, DisplayName, Role, CreatedAt, UserName, NormalizedUserName, Email, NormalizedEmail, " +
                                          "EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, SecurityStamp, ConcurrencyStamp) " +
                                          "VALUES ($id, $t, $n, 'Agent', $now, $e, upper($e), $e, upper($e), 1, 0, 0, 1, 0, $id, $id)", "$id", "$t", "$n", "$now", "$e"))
        using (var profile = Prepare(db, tx, "INSERT INTO AgentProfiles (UserId, TenantId, Capacity, Skills, Shifts, ShiftTimeZone, Presence, PresenceChangedAt) " +
                                             "VALUES ($id, $t, $c, '', '', 'UTC', 'Online', $now)", "$id", "$t", "$c", "$now"))
        {
            for (var i = 0; i < agents; i++)
            {
                var id = Id();
                Run(user, id, tenant, $"Agent {i}", Time(now), $"route-agent-{i}@bench.local");
                Run(profile, id, tenant, capacity, Time(now));
            }
        }

        using var contact = Prepare(db, tx, "INSERT INTO Contacts (Id, TenantId, Name, CreatedAt, LastSeenAt, Tags) VALUES ($id, $t, $n, $now, $now, $tags)",
            "$id", "$t", "$n", "$now", "$tags");
        using var conversation = Prepare(db, tx, "INSERT INTO Conversations (Id, TenantId, InboxId, ContactId, Status, Handler, Priority, LastSeq, UnreadCount, " +
                                                 "CreatedAt, LastMessageAt) VALUES ($id, $t, $i, $c, 'Open', 'Queue', 'Normal', 0, 0, $at, $at)", "$id", "$t", "$i", "$c", "$at");
        using var entry = Prepare(db, tx, "INSERT INTO QueueEntries (ConversationId, TenantId, InboxId, ContactId, State, Rank, EnqueuedAt, RequiredSkills, Declined) " +
                                          "VALUES ($id, $t, $i, $c, 'Waiting', $r, $at, '', '')", "$id", "$t", "$i", "$c", "$r", "$at");
        for (var i = 0; i < waiting; i++)
        {
            var (contactId, conversationId) = (Id(), Id());
            var vip = i % 10 == 0; // every tenth visitor is a VIP: the line is not just arrival order
            var at = Time(now.AddMilliseconds(-waiting + i));
            Run(contact, contactId, tenant, $"Visitor {i}", Time(now), vip ? "vip" : "");
            Run(conversation, conversationId, tenant, inbox, contactId, at);
            Run(entry, conversationId, tenant, inbox, contactId, vip ? 11 : 1, at);
        }

        tx.Commit();
    }

    // EF Core's SQLite mapping: Guid as upper-case text, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
    private static string Id() => Guid.CreateVersion7().ToString().ToUpperInvariant();

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

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
        return (long)command.ExecuteScalar()!;
    }

    private static void Exec(SqliteConnection db, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection db, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
