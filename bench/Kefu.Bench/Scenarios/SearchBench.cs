using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Kefu.Bench.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kefu.Bench.Scenarios;

/// <summary>
/// <c>search</c>: index build time, index size and query latency of the real server's search over many bilingual
/// messages. The server runs once to create its schema and is stopped; contacts, conversations and messages are
/// bulk-inserted into its SQLite file (sending a million messages through the widget would measure the message path).
/// It is started again: its start-up backfill indexes every message (the same code the durable lane's consumer uses),
/// timed until the last document is written. Then <c>GET /api/v1/search</c> is called one query at a time for common
/// words, rare words and two-word Chinese phrases, end to end over HTTP as the admin. With <c>--compare true</c>
/// (default) the bench also builds SQLite's <c>trigram</c> FTS5 index over the same messages and times it.
/// </summary>
public static class SearchBench
{
    private static readonly string[] Common = ["退款", "发货", "订单", "快递", "refund", "order", "delivery"];
    private static readonly string[] Phrases = ["申请退款", "尽快发货", "退货 地址", "订单 取消", "优惠券 过期"];

    private static readonly string[] ZhTemplates =
    [
        "您好，我想申请退款，订单号是{0}，商品{1}有问题",
        "请问什么时候发货？我的订单{0}已经付款三天了",
        "快递一直没有更新，{1}是不是丢了",
        "我收到的{1}尺码不对，可以换货吗",
        "优惠券过期了还能用吗？想买{1}",
        "退货地址在哪里？{1}包装已经拆了",
        "订单取消以后多久能退款到账",
        "客服你好，{1}的颜色和图片不一样，希望尽快发货新的",
        "发票怎么开？订单{0}需要公司抬头",
        "会员积分可以抵扣{1}的运费吗",
    ];

    private static readonly string[] EnTemplates =
    [
        "Hi, I would like a refund for order {0}, the {1} arrived damaged",
        "When will my order {0} ship? I paid three days ago",
        "The delivery tracking has not moved, is my {1} lost?",
        "Can I exchange the {1} for a different size?",
        "My coupon expired, can I still use it for the {1}?",
        "Where do I send the return? The {1} box is open already",
        "How long does a refund take after I cancel the order?",
    ];

    private static readonly string[] Products = ["连衣裙", "运动鞋", "蓝牙耳机", "保温杯", "背包", "jacket", "phone case", "water bottle"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var messages = options.GetInt("messages", 1_000_000);
        var perConversation = options.GetInt("per-conversation", 20);
        var queries = options.GetInt("queries", 100);
        var compare = options.GetString("compare", "true") == "true";
        var random = new Random(42);
        var rare = RareWords(random, Math.Max(1000, messages / 50)); // each rare word in about 50 messages

        await using var server = new ServerProcess();
        await server.StartAsync();
        await server.StopAsync();
        var seeding = Stopwatch.StartNew();
        Seed(server.DatabaseFile, messages, perConversation, rare, random);
        Result.Progress($"search: seeded {messages} messages in {seeding.Elapsed.TotalSeconds:F1} s");
        var before = Size(server.DatabaseFile);

        var indexing = Stopwatch.StartNew();
        await server.StartAsync();
        long documents = 0;
        while (indexing.Elapsed < TimeSpan.FromHours(2) && (documents = Count(server.DatabaseFile, "SELECT COALESCE(MAX(Id), 0) FROM SearchDocuments")) < messages)
        {
            await Task.Delay(500);
        }

        var indexSeconds = indexing.Elapsed.TotalSeconds;
        Result.Progress($"search: {documents} documents in {indexSeconds:F1} s");
        using var client = new KefuClient(server.Url);
        using var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.AgentTokenAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword));
        await TimeAsync(http, Common, 20); // warm-up: JIT, page cache
        var common = await TimeAsync(http, Common, queries);
        var rareTimes = await TimeAsync(http, [.. Enumerable.Range(0, queries).Select(i => rare[random.Next(rare.Length)])], queries);
        var phrases = await TimeAsync(http, Phrases, queries);
        await server.StopAsync();
        var indexMb = (Size(server.DatabaseFile) - before) / 1048576.0;
        var all = common.Times.Concat(rareTimes.Times).Concat(phrases.Times).ToList();

        object? trigram = compare ? Trigram(server.DatabaseFile, rare, random, queries) : null;
        return Result.Print(new
        {
            scenario = "search",
            messages,
            indexSeconds = Math.Round(indexSeconds, 1),
            p95Millis = Math.Round(P95(all), 1),
            indexMb = Math.Round(indexMb, 1),
            commonP95Millis = Math.Round(P95(common.Times), 1),
            commonMeanHits = common.MeanHits,
            rareP95Millis = Math.Round(P95(rareTimes.Times), 1),
            rareMeanHits = rareTimes.MeanHits,
            phraseP95Millis = Math.Round(P95(phrases.Times), 1),
            phraseMeanHits = phrases.MeanHits,
            trigram,
        }, documents >= messages);
    }

    private static async Task<(List<double> Times, double MeanHits)> TimeAsync(HttpClient http, string[] words, int count)
    {
        var times = new List<double>(count);
        var hits = 0;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/search?q=" + Uri.EscapeDataString(words[i % words.Length]));
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            hits += page.GetProperty("items").GetArrayLength();
        }

        return (times, Math.Round((double)hits / count, 1));
    }

    /// <summary>SQLite's trigram tokenizer over the same texts: build time, size, and what it answers.</summary>
    private static object Trigram(string file, string[] rare, Random random, int queries)
    {
        using var db = Open(file);
        Exec(db, "DROP TABLE IF EXISTS BenchTrigram");
        var size = Size(file);
        var build = Stopwatch.StartNew();
        Exec(db, "CREATE VIRTUAL TABLE BenchTrigram USING fts5(Text, content='Messages', tokenize='trigram')");
        Exec(db, "INSERT INTO BenchTrigram(BenchTrigram) VALUES ('rebuild')");
        var seconds = build.Elapsed.TotalSeconds;
        Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        var mb = (Size(file) - size) / 1048576.0;
        // Three or more characters use the index; two-character Chinese words cannot (a full scan).
        double Query(string sql, string value)
        {
            using var command = db.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$q", value);
            var started = Stopwatch.GetTimestamp();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
            }

            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        const string Match = "SELECT rowid FROM BenchTrigram WHERE BenchTrigram MATCH $q ORDER BY rowid DESC LIMIT 21";
        var threeChars = Enumerable.Range(0, queries).Select(i => Query(Match, "\"" + new[] { "申请退款", "refund", "delivery", "尽快发货" }[i % 4] + "\"")).ToList();
        var twoChars = Enumerable.Range(0, Math.Min(queries, 10)).Select(i => Query("SELECT rowid FROM BenchTrigram WHERE Text LIKE $q LIMIT 21", "%" + rare[random.Next(rare.Length)] + "%")).ToList();
        Exec(db, "DROP TABLE BenchTrigram");
        return new { buildSeconds = Math.Round(seconds, 1), indexMb = Math.Round(mb, 1), threeOrMoreP95Millis = Math.Round(P95(threeChars), 1), twoCharRareP95Millis = Math.Round(P95(twoChars), 1) };
    }

    private static void Seed(string file, int messages, int perConversation, string[] rare, Random random)
    {
        using var db = Open(file);
        var tenant = Scalar(db, "SELECT Id FROM Tenants ORDER BY CreatedAt LIMIT 1");
        var inbox = Scalar(db, "SELECT Id FROM Inboxes ORDER BY CreatedAt LIMIT 1");
        var start = DateTime.UtcNow.AddDays(-90);
        using var tx = db.BeginTransaction();
        using var contact = Prepare(db, tx, "INSERT INTO Contacts (Id, TenantId, Name, CreatedAt, LastSeenAt, Tags) VALUES ($id, $t, $n, $at, $at, '')", "$id", "$t", "$n", "$at");
        using var conversation = Prepare(db, tx, "INSERT INTO Conversations (Id, TenantId, InboxId, ContactId, Status, Handler, Priority, LastSeq, UnreadCount, " +
                                                 "CreatedAt, LastMessageAt) VALUES ($id, $t, $i, $c, 'Resolved', 'Agent', 'Normal', $seq, 0, $at, $last)",
            "$id", "$t", "$i", "$c", "$seq", "$at", "$last");
        using var message = Prepare(db, tx, "INSERT INTO Messages (Id, ConversationId, Seq, ClientMessageId, SenderType, Text, MaskedValues, CreatedAt) " +
                                            "VALUES ($id, $c, $seq, $cm, $s, $x, 0, $at)", "$id", "$c", "$seq", "$cm", "$s", "$x", "$at");
        var written = 0;
        for (var n = 0; written < messages; n++)
        {
            var (contactId, conversationId) = (Guid.NewGuid(), Guid.NewGuid());
            var at = start.AddSeconds(n * 7.0);
            var count = Math.Min(perConversation, messages - written);
            Run(contact, Id(contactId), tenant, $"Visitor {n}", Time(at));
            Run(conversation, Id(conversationId), tenant, inbox, Id(contactId), count, Time(at), Time(at.AddSeconds(count)));
            for (var seq = 1; seq <= count; seq++, written++)
            {
                var chinese = random.Next(3) > 0; // two in three messages in Chinese
                var templates = chinese ? ZhTemplates : EnTemplates;
                var text = string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)],
                    random.Next(100_000, 999_999), Products[random.Next(Products.Length)]) + (chinese ? "，" : " ") + rare[random.Next(rare.Length)];
                var when = at.AddSeconds(seq);
                Run(message, Id(Guid.CreateVersion7(new DateTimeOffset(when))), Id(conversationId), seq, "b" + seq, seq % 2 == 1 ? "Visitor" : "Agent", text, Time(when));
            }
        }

        tx.Commit();
        Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /// <summary>Two-character Chinese words made of common characters, few messages each.</summary>
    private static string[] RareWords(Random random, int count)
    {
        const string Chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严";
        var words = new HashSet<string>();
        while (words.Count < count)
        {
            words.Add(new string([Chars[random.Next(Chars.Length)], Chars[random.Next(Chars.Length)]]));
        }

        return [.. words.Where(w => !Common.Contains(w))];
    }

    private static double P95(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.95) - 1)];
    }

    private static long Size(string file) =>
        new[] { file, file + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    // EF Core's SQLite mapping: Guid as upper-case text, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
    private static string Id(Guid id) => id.ToString().ToUpperInvariant();

    private static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

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
