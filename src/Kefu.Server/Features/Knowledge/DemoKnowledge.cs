using Kefu.Server.Features.Knowledge.Contracts;

namespace Kefu.Server.Features.Knowledge;

/// <summary>The demo shop's bilingual FAQ: orders, shipping, returns, payment and account, in Chinese and English.</summary>
internal static class DemoKnowledge
{
    public static IEnumerable<Article> Articles(Guid tenantId, DateTime now) => Entries.Select((e, i) => new Article
    {
        Id = Guid.CreateVersion7(now.AddMilliseconds(i)),
        TenantId = tenantId,
        Question = e.Question,
        Answer = e.Answer,
        Phrasings = [.. e.Phrasings],
        Category = e.Category,
        Language = e.Language,
        Status = ArticleStatus.Published,
        CreatedAt = now.AddMilliseconds(i),
        UpdatedAt = now,
    });

    private sealed record Entry(string Category, string Language, string Question, string Answer, string[] Phrasings);

    private static readonly Entry[] Entries =
    [
        new("orders", "zh-CN", "怎么查询我的订单状态？",
            "登录后进入 **我的订单**，点击订单即可查看状态和物流单号。\n\n没有账号下单的话，可以用下单邮箱里的链接查看。",
            ["我的订单到哪了", "订单状态怎么看", "查一下我的订单", "怎么查物流", "快递单号在哪里看", "我的包裹到哪里了", "订单跟踪"]),
        new("orders", "zh-CN", "怎么取消订单？",
            "订单 **发货前** 可以在 我的订单 → 取消订单 自助取消，款项会原路退回。已发货的订单请在收货后申请退货。",
            ["我不想要了能取消吗", "取消订单", "下错单了怎么办", "怎么撤销订单", "订单能取消吗", "刚下的单想取消"]),
        new("shipping", "zh-CN", "下单后多久发货？",
            "现货商品在 **24 小时内** 发货（周末和节假日顺延）。预售商品以商品页上的发货时间为准。",
            ["什么时候发货", "多久能发货", "几天发货", "怎么还没发货", "发货要几天", "今天下单什么时候发"]),
        new("shipping", "zh-CN", "运费怎么算？",
            "订单满 **99 元包邮**，不满 99 元收 8 元运费。偏远地区（新疆、西藏等）另加 10 元。",
            ["运费多少", "包邮吗", "邮费怎么算", "快递费多少钱", "满多少包邮", "要运费吗"]),
        new("shipping", "zh-CN", "下单后怎么修改收货地址？",
            "发货前可以在 我的订单 → 修改地址 里修改。已发货的订单请联系快递或人工客服改派。",
            ["地址填错了", "修改收货地址", "怎么改地址", "换个收货地址", "收件人信息写错了", "改一下送货地址"]),
        new("returns", "zh-CN", "怎么申请退货？",
            "收货 **7 天内**、商品未拆封，可在 我的订单 → 申请退货 提交。审核通过后按页面上的地址寄回。食品拆封后不支持无理由退货。",
            ["我要退货", "退货流程", "可以退货吗", "怎么退货", "七天无理由退货", "东西不想要了怎么退", "商品有问题要退"]),
        new("returns", "zh-CN", "退款多久到账？",
            "仓库收到退货后 **1–3 个工作日** 内退款，原路退回。银行卡到账一般再需要 3–5 个工作日。",
            ["退款什么时候到", "钱什么时候退回来", "退款要多久", "退款进度", "怎么还没收到退款", "退款到哪里了"]),
        new("payment", "zh-CN", "支持哪些付款方式？",
            "支持 **微信支付、支付宝、银联卡** 和 Visa / Mastercard 信用卡。暂不支持货到付款。",
            ["可以用微信付款吗", "支付方式有哪些", "能用支付宝吗", "支持信用卡吗", "怎么付钱", "可以货到付款吗"]),
        new("payment", "zh-CN", "可以开发票吗？",
            "可以。在下单时填写发票抬头和税号，或在订单完成后 30 天内于 我的订单 → 申请发票 补开电子发票。",
            ["怎么开发票", "我要发票", "发票怎么开", "能开增值税发票吗", "补开发票", "电子发票在哪里下载"]),
        new("account", "zh-CN", "忘记密码怎么办？",
            "在登录页点击 **忘记密码**，用注册手机号或邮箱收取验证码后即可重置。收不到验证码请检查垃圾邮件或稍后重试。",
            ["登录不了", "密码忘了", "怎么重置密码", "账号登不上去", "收不到验证码", "修改登录密码"]),

        new("orders", "en", "How do I check my order status?",
            "Sign in and open **My orders**, then select the order to see its status and tracking number.\n\nOrdered as a guest? Use the link in your order e-mail.",
            ["where is my order", "track my order", "order status", "where is my package", "tracking number", "has my order shipped yet"]),
        new("orders", "en", "How do I cancel my order?",
            "Before it ships, cancel it yourself in My orders → Cancel order; the money goes back to how you paid. Once shipped, request a return after it arrives.",
            ["cancel my order", "I want to cancel", "I ordered the wrong thing", "can I cancel an order", "stop my order", "undo my purchase"]),
        new("shipping", "en", "When will my order ship?",
            "Items in stock ship **within 24 hours** (weekends and holidays excepted). Pre-orders ship on the date shown on the product page.",
            ["when will you ship", "how long until my order ships", "shipping time", "why hasn't my order shipped", "how many days to ship", "dispatch time"]),
        new("shipping", "en", "How much is shipping?",
            "Shipping is **free over ¥99**; below that it costs ¥8. Remote regions add ¥10.",
            ["shipping cost", "is shipping free", "delivery fee", "how much is delivery", "free shipping threshold", "do you charge for shipping"]),
        new("shipping", "en", "How do I change my delivery address?",
            "Before the order ships, change it in My orders → Change address. After it ships, contact the courier or talk to a person.",
            ["wrong address", "change shipping address", "update my address", "I entered the wrong address", "edit delivery address", "send it to a different address"]),
        new("returns", "en", "How do I return an item?",
            "Within **7 days** of delivery, unopened items can be returned from My orders → Request a return; ship it to the address shown once approved. Opened food cannot be returned without a fault.",
            ["I want to return something", "return policy", "can I return this", "how to return", "send it back", "return an item"]),
        new("returns", "en", "When will I get my refund?",
            "We refund **1–3 business days** after the warehouse receives your return, to the way you paid. Banks may take another 3–5 business days.",
            ["refund status", "where is my refund", "how long does a refund take", "I haven't received my refund", "when do I get my money back", "refund time"]),
        new("payment", "en", "Which payment methods do you accept?",
            "We accept **WeChat Pay, Alipay, UnionPay** and Visa / Mastercard credit cards. Cash on delivery is not available.",
            ["payment methods", "can I pay with credit card", "do you take alipay", "how can I pay", "do you accept visa", "cash on delivery"]),
        new("payment", "en", "Can I get an invoice?",
            "Yes. Enter the invoice title and tax number at checkout, or request an e-invoice within 30 days in My orders → Request invoice.",
            ["I need an invoice", "how do I get a receipt", "invoice for my order", "VAT invoice", "download invoice", "billing receipt"]),
        new("account", "en", "I forgot my password. What should I do?",
            "On the sign-in page choose **Forgot password** and reset it with a code sent to your phone or e-mail. No code? Check spam or try again in a minute.",
            ["forgot password", "reset my password", "I can't log in", "can't sign in to my account", "didn't get the verification code", "change my password"]),
    ];
}
