using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class SentimentTests
{
    [Theory]
    [InlineData("你们就是骗子，我要投诉！")]
    [InlineData("什么垃圾服务，气死我了")]
    [InlineData("太差了!!!")]
    [InlineData("This is a scam")]
    [InlineData("worst service ever")]
    [InlineData("what the hell is going on with my order")]
    [InlineData("WHERE IS MY MONEY I PAID TWO WEEKS AGO")]
    public void Analyze_ClearlyAngryMessage_IsAngry(string text)
    {
        var result = Sentiment.Analyze(text);
        Assert.True(result.IsAngry);
        Assert.True(result.Score < 0);
    }

    [Theory]
    [InlineData("我的订单到哪了")]
    [InlineData("where is my order")]
    [InlineData("谢谢，问题解决了")]
    [InlineData("Great, thanks a lot!")]
    public void Analyze_CalmMessage_IsNotAngry(string text) => Assert.False(Sentiment.Analyze(text).IsAngry);

    [Fact]
    public void Analyze_Thanks_IsPositive() => Assert.True(Sentiment.Analyze("谢谢，服务很好").Score > 0);

    [Fact]
    public void Analyze_NegatedPraise_IsNegative()
    {
        Assert.True(Sentiment.Analyze("not good at all").Score < 0);
        Assert.True(Sentiment.Analyze("我很不满意").Score < 0);
    }

    [Fact]
    public void Analyze_Score_StaysWithinBounds()
    {
        var result = Sentiment.Analyze(string.Concat(Enumerable.Repeat("垃圾骗子 scam worst ", 200)));
        Assert.Equal(-1, result.Score);
    }

    [Fact]
    public void Analyze_Empty_IsNeutral()
    {
        var result = Sentiment.Analyze("");
        Assert.Equal(0, result.Score);
        Assert.False(result.IsAngry);
    }
}
