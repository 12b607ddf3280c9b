using System.Globalization;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// The demo shop's "where is my order?" flows (Chinese and English) and the <b>demo</b> order API they call,
/// <c>GET /demo/orders/{number}</c>, served by Kefu itself only while the demo seed is on. Clearly fake data: a number
/// ending in 0 is not found; otherwise the status follows from the digits. The seed allows Kefu's own host and port
/// (<c>127.0.0.1:5000</c> by default) and nothing else on loopback, as an admin would for an order system on the same
/// machine. The demo API is anonymous on purpose (a flow calls it like a merchant's API, without a session): it reads
/// nothing stored, so all it can reveal is the made-up order computed from the number asked for, and it is not mapped
/// at all unless the demo seed and demo bot are on.
/// </summary>
internal static class DemoFlows
{
    /// <summary>Adds the published flows and the HTTP action settings to the demo workspace (<paramref name="baseUrl"/>: where Kefu itself listens).</summary>
    public static void Seed(KefuDbContext db, Guid tenantId, DateTime now, string baseUrl)
    {
        // Kefu's own host and port only: the demo API is on it, and no other local service is opened to flows.
        var own = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? FlowAddressGuard.NormalizeEntry($"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}") : null;
        db.FlowSettings.Add(new FlowSettings { TenantId = tenantId, BaseUrl = baseUrl, AllowedHosts = own ?? "127.0.0.1:5000", UpdatedAt = now });
        Add(db, tenantId, now, "查订单 (where is my order, 中文)", Zh, ["订单到哪", "查订单", "查一下订单", "物流到哪", "快递到哪"], 0);
        Add(db, tenantId, now, "Where is my order (English)", En, ["where is my order", "track my order", "order status", "where's my order"], 1);
    }

    private static void Add(KefuDbContext db, Guid tenantId, DateTime now, string name, FlowDefinition definition, string[] keywords, int i)
    {
        var id = Guid.CreateVersion7(now.AddMilliseconds(i));
        db.BotFlows.Add(new BotFlow
        {
            Id = id, TenantId = tenantId, Name = name, Draft = definition.ToJson(), Keywords = string.Join('\n', keywords), PublishedVersion = 1,
            CreatedAt = now, UpdatedAt = now,
        });
        db.BotFlowVersions.Add(new BotFlowVersion { TenantId = tenantId, FlowId = id, Version = 1, Definition = definition.ToJson(), CreatedAt = now });
    }

    private static FlowDefinition Build(string language, string ask, string hint, string found, string notFound, string more, string address, string done,
        string handoffAddress, string bye, string giveUp, string status, string carrier) => new(language, "ask_order",
    [
        new FlowStep
        {
            Id = "ask_order", Type = FlowStepTypes.Slot, Text = ask, Variable = "order_number", Hint = hint, MaxAttempts = 3,
            Validation = new FlowValidation("regex", "^[0-9]{6,12}$"), Next = "lookup", Fail = "give_up",
        },
        new FlowStep
        {
            Id = "lookup", Type = FlowStepTypes.Http, Method = "GET", Url = "/demo/orders/{{order_number}}", Next = "found", Fail = "not_found",
            Map = new Dictionary<string, string> { ["status"] = status, ["carrier"] = carrier, ["tracking"] = "$.trackingNumber", ["eta"] = "$.eta" },
        },
        new FlowStep { Id = "found", Type = FlowStepTypes.Message, Text = found, Next = "more" },
        new FlowStep { Id = "not_found", Type = FlowStepTypes.Message, Text = notFound, Next = "ask_order" },
        new FlowStep
        {
            Id = "more", Type = FlowStepTypes.Buttons, Text = more, Variable = "next_action", Fail = "bye",
            Buttons = [new FlowButton(address, "change_address", "handoff_address"), new FlowButton(done, "done", "bye")],
        },
        new FlowStep { Id = "handoff_address", Type = FlowStepTypes.Handoff, Text = handoffAddress, Skill = "shipping" },
        new FlowStep { Id = "bye", Type = FlowStepTypes.End, Text = bye },
        new FlowStep { Id = "give_up", Type = FlowStepTypes.Handoff, Text = giveUp },
    ]);

    public static readonly FlowDefinition Zh = Build("zh-CN",
        "请告诉我您的订单号（6 到 12 位数字）。", "订单号是 6 到 12 位数字，例如 20261234。",
        "订单 {{order_number}} 的状态：{{status}}。快递：{{carrier}}，运单号：{{tracking}}，预计 {{eta}} 送达。",
        "没有查到订单 {{order_number}}，请核对后重新输入。",
        "还需要什么帮助吗？", "修改收货地址", "没有了，谢谢",
        "好的，修改地址需要人工客服处理，我已把订单号一并转给客服。", "不客气，祝您购物愉快！",
        "抱歉，我没能识别订单号。", "$.statusZh", "$.carrierZh");

    public static readonly FlowDefinition En = Build("en",
        "Please tell me your order number (6 to 12 digits).", "An order number is 6 to 12 digits, like 20261234.",
        "Order {{order_number}}: {{status}}. Carrier: {{carrier}}, tracking number {{tracking}}, expected on {{eta}}.",
        "I couldn't find order {{order_number}}. Please check the number and type it again.",
        "Anything else?", "Change my address", "No, thanks",
        "Sure: a person will change the address. I've passed your order number on.", "You're welcome. Enjoy your day!",
        "Sorry, I couldn't read an order number.", "$.status", "$.carrierEn");

    /// <summary><c>GET /demo/orders/{number}</c>: the demo order API (anonymous, fake data), mapped only while the demo seed is on.</summary>
    public static void MapDemoOrders(this IEndpointRouteBuilder app)
    {
        // Read as the seed reads it (Kefu:Seed:Enabled and DemoBot, both true by default), without reaching into Accounts.
        // Kefu:Seed:DemoOrders overrides DemoBot for this API alone: a server whose demo inbox has no bot (the browser
        // tests') can still serve the orders to a flow it builds.
        var configuration = app.ServiceProvider.GetRequiredService<IConfiguration>();
        if (!configuration.GetValue("Kefu:Seed:Enabled", true) ||
            !configuration.GetValue("Kefu:Seed:DemoOrders", configuration.GetValue("Kefu:Seed:DemoBot", true)))
        {
            return;
        }

        app.MapGet("/demo/orders/{number}", Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Ok<DemoOrder>, Microsoft.AspNetCore.Http.HttpResults.NotFound> (string number, TimeProvider time) =>
            {
                if (number.Length is < 6 or > 12 || !number.All(char.IsAsciiDigit) || number[^1] == '0')
                {
                    return TypedResults.NotFound();
                }

                var kind = number.Sum(c => c - '0') % 3;
                var eta = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(kind == 2 ? -1 : 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return TypedResults.Ok(kind switch
                {
                    0 => new DemoOrder(number, "shipped", "已发货", "SF Express", "顺丰速运", "SF" + number.PadLeft(12, '0'), eta),
                    1 => new DemoOrder(number, "being packed", "备货中", "not yet assigned", "暂未分配", "-", eta),
                    _ => new DemoOrder(number, "delivered", "已签收", "JD Logistics", "京东物流", "JD" + number.PadLeft(12, '0'), eta),
                });
            })
            .AllowAnonymous().ExcludeFromDescription().WithName("DemoOrder");
    }
}

/// <summary>A demo order (fake data for the demo flows).</summary>
/// <param name="Number">Order number.</param>
/// <param name="Status">Status in English.</param>
/// <param name="StatusZh">Status in Chinese.</param>
/// <param name="CarrierEn">Carrier in English.</param>
/// <param name="CarrierZh">Carrier in Chinese.</param>
/// <param name="TrackingNumber">Tracking number.</param>
/// <param name="Eta">Expected delivery date.</param>
public sealed record DemoOrder(string Number, string Status, string StatusZh, string CarrierEn, string CarrierZh, string TrackingNumber, string Eta);
