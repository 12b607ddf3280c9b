using Kefu.Server.Console.Components;
using Kefu.Server.Features.Knowledge;

namespace Kefu.UnitTests.Knowledge;

public sealed class ArticleMarkdownTests
{
    [Theory]
    [InlineData("**退货**政策", "**退货**政策", "退货政策")]
    [InlineData("登录后进入 **我的订单**，点击订单", "登录后进入**我的订单**，点击订单", "登录后进入我的订单，点击订单")]
    [InlineData("订单 **发货前** 可以取消", "订单**发货前**可以取消", "订单发货前可以取消")]
    [InlineData("仓库收到后 **1–3 个工作日** 内退款", "仓库收到后 **1–3 个工作日**内退款", "仓库收到后 1–3 个工作日内退款")]
    [InlineData("支持**“七天无理由”**退货", "支持**“七天无理由”**退货", "支持“七天无理由”退货")]
    [InlineData("Shipping is **free over ¥99**; below that", "Shipping is **free over ¥99**; below that", "Shipping is free over ¥99; below that")]
    [InlineData("an *italic* and __bold__ word", "an italic and **bold** word", "an italic and bold word")]
    public void Bold_StaysMarkedInChat_WithoutGapsInChinese(string markdown, string chat, string plain)
    {
        Assert.Equal(chat, ArticleMarkdown.ToChatText(markdown, 1000));
        Assert.Equal(plain, ArticleMarkdown.ToPlainText(markdown, 1000));
    }

    [Fact]
    public void Html_IsNeverMarkup_InChatText()
    {
        var chat = ArticleMarkdown.ToChatText("**<img src=x onerror=alert(1)>** and <script>alert(1)</script>", 1000);

        Assert.Contains("<img src=x onerror=alert(1)>", chat); // text, which both clients render as text
        var bold = Assert.Single(LinkText.SplitBold(chat), p => p.IsBold);
        Assert.Equal("<img src=x onerror=alert(1)>", bold.Text);
    }

    [Fact]
    public void ListsLinksAndHeadings_ReadAsChatText()
    {
        var chat = ArticleMarkdown.ToChatText("## 退货\n\n1. 打开 [我的订单](https://shop.example/orders)\n2. 点击 **申请退货**\n\n- 不支持拆封食品", 1000);

        Assert.Equal("**退货**\n\n1. 打开 我的订单 (https://shop.example/orders)\n2. 点击**申请退货**\n\n• 不支持拆封食品", chat);
    }

    [Fact]
    public void Html_OfABoldChineseRun_HasNoGap()
    {
        Assert.Equal("<p>登录后进入<strong>我的订单</strong>，点击</p>\n", ArticleMarkdown.ToHtml("登录后进入 **我的订单**，点击"));
    }

    [Fact]
    public void ACutInsideBold_LeavesNoDanglingMark()
    {
        var chat = ArticleMarkdown.ToChatText("前面的话 **很长很长的加粗内容**", 10);

        Assert.Equal("前面的话很长很…", chat);
    }
}
