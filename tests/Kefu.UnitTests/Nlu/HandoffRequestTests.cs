using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class HandoffRequestTests
{
    [Theory]
    [InlineData("人工")]
    [InlineData("转人工")]
    [InlineData("我要人工客服")]
    [InlineData("客服在吗")]
    [InlineData("找个真人跟我说")]
    [InlineData("轉人工")]
    [InlineData("agent")]
    [InlineData("Human please")]
    [InlineData("I want to talk to a real person")]
    [InlineData("can I speak to an operator?")]
    [InlineData("Let me talk to someone")]
    [InlineData("connect me with a representative")]
    public void IsRequest_AskingForAPerson_IsTrue(string text) => Assert.True(HandoffRequest.IsRequest(text));

    [Theory]
    [InlineData("我的订单到哪了")]
    [InlineData("不要人工，我自己看看")]
    [InlineData("someone stole my card yesterday")]
    [InlineData("my travel agent booked the flight for me last week")]
    [InlineData("where is my refund")]
    [InlineData("")]
    public void IsRequest_OtherMessages_IsFalse(string text) => Assert.False(HandoffRequest.IsRequest(text));
}
