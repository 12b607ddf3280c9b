using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Kefu.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// <c>quality</c>: automatic quality inspection over many finished conversations. The server runs once to create its
/// schema and is stopped; resolved conversations with their messages (zh and en, both sides: greetings, upset visitors,
/// forbidden words, phone numbers, closings, thanks) and timeline events (assignments, transfers, CSAT answers) are
/// bulk-inserted into its SQLite file. It is started again and the admin creates a ten-item scorecard over HTTP, which
/// queues the background rescoring of every resolved conversation: the product's own scoring path (the
/// <c>ScoreWriter</c> the durable lane's consumer runs on resolve: one read of conversations, messages, events and
/// existing scores per batch, the compiled scorecard, one commit), timed from the request to the job's end.
/// <c>p99Millis</c> is the 99th percentile of one batch's time (<c>batchSize</c> conversations read, scored and
/// committed), taken from the scores' <c>ScoredAt</c> instants.
/// </summary>
public static class QualityBench
{
    private static readonly string[] ZhVisitor = ["你好，我的订单还没发货", "请问退款多久到账？", "快递显示已签收但我没收到", "能帮我改一下收货地址吗", "优惠券用不了", "发票怎么开"];
    private static readonly string[] EnVisitor = ["Hi, my order has not shipped yet", "How long does a refund take?", "The parcel says delivered but I never got it", "Can I change my address?", "My coupon does not work", "How do I get an invoice?"];
    private static readonly string[] ZhUpset = ["太慢了，我非常生气！", "这服务太差了，气死我了", "已经等了三天了，太失望了"];
    private static readonly string[] EnUpset = ["This is ridiculous, I am really angry!", "Terrible service, I am so disappointed", "I have waited three days, this is awful"];
    private static readonly string[] ZhAgent = ["我帮您查一下订单", "已经为您登记退款，三到五个工作日到账", "地址已经修改好了", "这张优惠券需要满一百元才能用", "发票可以在订单详情页申请"];
    private static readonly string[] EnAgent = ["Let me check your order", "The refund is filed and takes three to five working days", "Your address is updated", "This coupon needs an order of at least 100", "You can request the invoice on the order page"];
    private static readonly string[] ZhGreeting = ["您好，很高兴为您服务", "你好，请问有什么可以帮您？", "欢迎咨询，我是小王"];
    private static readonly string[] EnGreeting = ["Hello, how can I help you today?", "Hi, thanks for reaching out", "Welcome! My name is Sam"];
    private static readonly string[] ZhEmpathy = ["非常抱歉给您带来不便", "非常理解您的心情"];
    private static readonly string[] EnEmpathy = ["I am so sorry about this", "I understand how frustrating this is"];
    private static readonly string[] ZhClosing = ["还有其他问题吗？祝您生活愉快", "还有什么可以帮您的吗？"];
    private static readonly string[] EnClosing = ["Anything else I can help with? Have a nice day", "Is there anything else? Goodbye"];
    private static readonly string[] ZhThanks = ["好的，解决了，谢谢", "可以了，感谢"];
    private static readonly string[] EnThanks = ["Great, that works, thanks", "Solved, thank you"];
    private static readonly string[] ZhForbidden = ["你自己看说明", "不知道，别问我", "爱买不买"];
    private static readonly string[] EnForbidden = ["that's not my problem", "read the manual yourself", "whatever"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var conversations = options.GetInt("conversations", 100_000);
        var batchSize = options.GetInt("batch", 500);
        await using var server = new ServerProcess(environment: new Dictionary<string, string> { ["Kefu__Quality__RescoreBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture) });
        await server.StartAsync();
        await server.StopAsync();
        var seeding = Stopwatch.StartNew();
        var messages = Seed(server.DatabaseFile, conversations, DateTime.UtcNow, new Random(42));
        Result.Progress($"quality: seeded {conversations} conversations, {messages} messages in {seeding.Elapsed.TotalSeconds:F1} s");

        await server.StartAsync();
        using var client = new KefuClient(server.Url);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword));
        var cpuBefore = server.CpuSeconds();
        var started = Stopwatch.StartNew();
        var created = await http.PostAsJsonAsync("/api/v1/quality/scorecards", Scorecard());
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var scored = 0;
        while (started.Elapsed < TimeSpan.FromHours(1))
        {
            var card = await http.GetFromJsonAsync<JsonElement>($"/api/v1/quality/scorecards/{id}");
            var rescoring = card.GetProperty("rescoring");
            scored = rescoring.GetProperty("scored").GetInt32();
            if (rescoring.GetProperty("status").GetString() != "pending")
            {
                break;
            }

            await Task.Delay(100);
        }

        var seconds = started.Elapsed.TotalSeconds;
        var cpu = server.CpuSeconds() - cpuBefore;
        var peakMb = server.PeakRssKiB() / 1024.0;
        await server.StopAsync();
        var batches = BatchMillis(server.DatabaseFile);
        var (scores, failed) = Outcomes(server.DatabaseFile);
        var result = new
        {
            conversationsPerSecond = Math.Round(scored / seconds),
            p99Millis = Math.Round(Percentile(batches, 0.99), 1),
            batchSize,
            batchP50Millis = Math.Round(Percentile(batches, 0.5), 1),
            conversations,
            messages,
            scored,
            seconds = Math.Round(seconds, 1),
            serverCpuSeconds = Math.Round(cpu, 1),
            peakRssMb = Math.Round(peakMb),
            averageScore = scores,
            itemFailures = failed,
        };
        return Result.Print(result, scored == conversations && scored / seconds >= 2_000);
    }

    /// <summary>Ten items, every rule family: times, phrases (zh and en), personal data, transfers, CSAT, empathy.</summary>
    private static object Scorecard() => new
    {
        name = "Bench scorecard",
        items = new object[]
        {
            new { rule = "greeting", weight = 10, parameters = new { seconds = 30 } },
            new { rule = "first_response", weight = 10, parameters = new { seconds = 60 } },
            new { rule = "reply_gap", weight = 10, parameters = new { minutes = 5 } },
            new { rule = "forbidden_words", weight = 15, parameters = new { phrases = ForbiddenList() } },
            new { rule = "required_phrase", weight = 10, parameters = new { phrases = new[] { "还有其他", "还有什么", "anything else" }, scope = "closing" } },
            new { rule = "no_personal_data", weight = 15 },
            new { rule = "max_transfers", weight = 5, parameters = new { max = 1 } },
            new { rule = "csat_answered", weight = 5 },
            new { rule = "resolution_confirmed", weight = 10 },
            new { rule = "empathy", weight = 10 },
        },
    };

    /// <summary>The seeded forbidden phrases and a few hundred more, as a real list is long.</summary>
    private static string[] ForbiddenList() =>
        [.. ZhForbidden, .. EnForbidden, .. Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? $"违禁词{i}" : $"banned phrase {i}")];

    /// <summary>
    /// Resolved conversations over 90 days, 60 % in Chinese: a visitor opens (sometimes upset), an agent takes it and greets
    /// (usually within 30 s), three to eight turns each, sometimes a forbidden phrase (3 %), a phone number (4 %), an
    /// apology after an upset message (70 %), a closing (75 %) and thanks (60 %); 8 % transferred (1 % twice), 25 % CSAT.
    /// </summary>
    private static long Seed(string file, int count, DateTime now, Random random)
    {
        using var db = Open(file);
        var tenant = Scalar(db, "SELECT Id FROM Tenants ORDER BY CreatedAt LIMIT 1");
        var inbox = Scalar(db, "SELECT Id FROM Inboxes ORDER BY CreatedAt LIMIT 1");
        var admin = Scalar(db, "SELECT Id FROM AspNetUsers ORDER BY Email LIMIT 1");
        var agents = Enumerable.Range(0, 24).Select(_ => Id(Guid.NewGuid())).Append(admin).ToArray();
        using var tx = db.BeginTransaction();
        using (var defer = db.CreateCommand())
        {
            // A conversation's row is written after its messages (its last sequence and times are known then).
            (defer.Transaction, defer.CommandText) = (tx, "PRAGMA defer_foreign_keys = ON");
            defer.ExecuteNonQuery();
        }

        using var contact = Prepare(db, tx, "INSERT INTO Contacts (Id, TenantId, Name, CreatedAt, LastSeenAt, Tags) VALUES ($id, $t, $n, $at, $at, '')", 4);
        using var conversation = Prepare(db, tx, "INSERT INTO Conversations (Id, TenantId, InboxId, ContactId, Status, Handler, Priority, LastSeq, UnreadCount, " +
                                                 "CreatedAt, LastMessageAt, ResolvedAt, AssigneeId) VALUES ($id, $t, $i, $c, 'Resolved', 'Agent', 'Normal', $seq, 0, $at, $last, $resolved, $a)", 9);
        using var message = Prepare(db, tx, "INSERT INTO Messages (Id, ConversationId, ClientMessageId, CreatedAt, MaskedValues, SenderId, SenderType, Seq, Text) " +
                                            "VALUES ($id, $c, $cm, $at, 0, $s, $st, $seq, $text)", 8);
        using var timeline = Prepare(db, tx, "INSERT INTO ConversationEvents (TenantId, ConversationId, Type, ActorType, ActorId, CreatedAt, Data) VALUES ($t, $c, $type, $actor, $a, $at, $data)", 7);
        long messages = 0;
        var start = now.AddDays(-90);
        for (var n = 0; n < count; n++)
        {
            var zh = random.NextDouble() < 0.6;
            var at = start.AddSeconds(random.NextDouble() * 89 * 86400);
            var (contactId, conversationId) = (Id(Guid.NewGuid()), Guid.CreateVersion7(new DateTimeOffset(at)));
            var agent = agents[random.Next(agents.Length)];
            var upset = random.NextDouble() < 0.15;
            var seq = 0L;
            var clock = at;
            void Say(string sender, string? senderId, string text)
            {
                Run(message, Id(Guid.CreateVersion7(new DateTimeOffset(clock))), Id(conversationId), "bench-" + (++seq).ToString(CultureInfo.InvariantCulture),
                    Time(clock), senderId, sender, seq, text);
            }

            Run(contact, contactId, tenant, "Visitor " + n, Time(at));
            Say("Visitor", null, Pick(random, zh ? ZhVisitor : EnVisitor));
            if (upset)
            {
                clock = clock.AddSeconds(5 + random.Next(20));
                Say("Visitor", null, Pick(random, zh ? ZhUpset : EnUpset));
            }

            clock = clock.AddSeconds(LogNormal(random, 30, 1));
            Run(timeline, tenant, Id(conversationId), "conversation.assigned", "System", null, Time(clock), $"{{\"agentId\":\"{agent.ToLowerInvariant()}\"}}");
            clock = clock.AddSeconds(LogNormal(random, 12, 0.8));
            Say("Agent", agent, Pick(random, zh ? ZhGreeting : EnGreeting) + (upset && random.NextDouble() < 0.7 ? "，" + Pick(random, zh ? ZhEmpathy : EnEmpathy) : ""));
            var turns = 3 + random.Next(6);
            for (var turn = 0; turn < turns; turn++)
            {
                clock = clock.AddSeconds(LogNormal(random, 40, 0.8));
                Say("Visitor", null, Pick(random, zh ? ZhVisitor : EnVisitor));
                clock = clock.AddSeconds(LogNormal(random, 45, 1));
                var text = Pick(random, zh ? ZhAgent : EnAgent);
                if (random.NextDouble() < 0.03 / 3)
                {
                    text += " " + Pick(random, zh ? ZhForbidden : EnForbidden);
                }
                else if (random.NextDouble() < 0.04 / 3)
                {
                    text += zh ? "，有问题打我电话 138" : ", call me on +86 138";
                    text += random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
                }

                Say("Agent", agent, text);
            }

            var transfers = random.NextDouble() switch { < 0.01 => 2, < 0.08 => 1, _ => 0 };
            for (var t = 0; t < transfers; t++)
            {
                Run(timeline, tenant, Id(conversationId), "conversation.transferred", "Agent", agent, Time(clock.AddSeconds(t + 1)), $"{{\"toAgentId\":\"{agent.ToLowerInvariant()}\"}}");
            }

            if (random.NextDouble() < 0.75)
            {
                clock = clock.AddSeconds(LogNormal(random, 20, 0.5));
                Say("Agent", agent, Pick(random, zh ? ZhClosing : EnClosing));
            }

            if (random.NextDouble() < 0.6)
            {
                clock = clock.AddSeconds(LogNormal(random, 20, 0.5));
                Say("Visitor", null, Pick(random, zh ? ZhThanks : EnThanks));
            }

            var resolved = clock.AddSeconds(30);
            if (random.NextDouble() < 0.25)
            {
                Run(timeline, tenant, Id(conversationId), "survey.answered", "Visitor", null, Time(resolved.AddSeconds(40)), $"{{\"kind\":\"csat\",\"score\":{random.Next(1, 6)}}}");
            }

            Run(conversation, Id(conversationId), tenant, inbox, contactId, seq, Time(at), Time(clock), Time(resolved), agent);
            messages += seq;
        }

        tx.Commit();
        Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        return messages;
    }

    /// <summary>Each batch's time: the gaps between consecutive distinct <c>ScoredAt</c> instants (one per batch).</summary>
    private static List<double> BatchMillis(string file)
    {
        using var db = Open(file);
        using var command = db.CreateCommand();
        command.CommandText = "SELECT DISTINCT ScoredAt FROM QualityScores ORDER BY ScoredAt";
        using var reader = command.ExecuteReader();
        var instants = new List<DateTime>();
        while (reader.Read())
        {
            instants.Add(DateTime.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
        }

        return [.. instants.Zip(instants.Skip(1), (a, b) => (b - a).TotalMilliseconds)];
    }

    /// <summary>The average score and how many times each rule failed: a check that the seeded cases were seen.</summary>
    private static (double Average, Dictionary<string, int> Failed) Outcomes(string file)
    {
        using var db = Open(file);
        using var command = db.CreateCommand();
        command.CommandText = "SELECT AVG(Score) FROM QualityScores";
        var average = Math.Round(Convert.ToDouble(command.ExecuteScalar(), CultureInfo.InvariantCulture), 1);
        command.CommandText = "SELECT json_extract(j.value, '$.rule'), COUNT(*) FROM QualityScores s, json_each(s.Items) j " +
                              "WHERE json_extract(j.value, '$.outcome') = 'fail' GROUP BY 1 ORDER BY 1";
        using var reader = command.ExecuteReader();
        var failed = new Dictionary<string, int>();
        while (reader.Read())
        {
            failed[reader.GetString(0)] = reader.GetInt32(1);
        }

        return (average, failed);
    }

    private static double Percentile(List<double> values, double q)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * q) - 1)];
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

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

    private static void Exec(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

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
