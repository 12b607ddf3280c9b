using Kefu.Server.Console.Components;

namespace Kefu.UnitTests.Conversations;

public sealed class LinkTextTests
{
    [Fact]
    public void Split_MakesLinksOnlyOfHttpHttpsAndMailto()
    {
        var parts = LinkText.Split("see https://a.example/x, mail mailto:me@a.example or javascript:alert(1) data:text/html,x").ToList();

        Assert.Equal(["https://a.example/x", "mailto:me@a.example"], parts.Where(p => p.IsLink).Select(p => p.Value));
        Assert.Equal("see https://a.example/x, mail mailto:me@a.example or javascript:alert(1) data:text/html,x", string.Concat(parts.Select(p => p.Value)));
    }

    [Fact]
    public void Split_StopsLinksAtChinesePunctuation()
    {
        var parts = LinkText.Split("链接：https://a.example/订单。谢谢").ToList();

        Assert.Equal("https://a.example/订单", parts.Single(p => p.IsLink).Value);
    }

    [Fact]
    public void Split_TextWithoutLinks_IsOnePlainPart()
    {
        var parts = LinkText.Split("<img src=x onerror=alert(1)>").ToList();

        Assert.False(Assert.Single(parts).IsLink);
    }

    [Fact]
    public void SplitBold_FindsBoldRuns_AndDropsTheMarks()
    {
        var parts = LinkText.SplitBold("进入**我的订单**，点击 **申请退货** 即可").ToList();

        Assert.Equal(["我的订单", "申请退货"], parts.Where(p => p.IsBold).Select(p => p.Text));
        Assert.Equal("进入我的订单，点击 申请退货 即可", string.Concat(parts.Select(p => p.Text)));
    }

    [Theory]
    [InlineData("我的手机号是138****8000，备用139****1234")]
    [InlineData("a ** b ** c")]
    [InlineData("**\n**")]
    [InlineData("not ****bold****")]
    public void SplitBold_LeavesMaskedNumbersAndStrayAsterisksAlone(string text)
    {
        var part = Assert.Single(LinkText.SplitBold(text));

        Assert.Equal((text, false), part);
    }
}
