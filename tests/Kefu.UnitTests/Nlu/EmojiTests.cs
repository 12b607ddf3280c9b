using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class EmojiTests
{
    [Theory]
    [InlineData("👍")]
    [InlineData("😊😊")]
    [InlineData(" 🙏🏻 ")]
    [InlineData("❤️")]
    [InlineData("👨‍👩‍👧")]
    [InlineData("👍!")]
    [InlineData("🇨🇳")]
    public void OnlyEmoji_IsRecognised(string text) => Assert.True(Emoji.IsOnlyEmoji(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ok 👍")]
    [InlineData("好的👍")]
    [InlineData("123")]
    [InlineData("...")]
    [InlineData("\u0001\u0002")]
    [InlineData("\ufffd")]
    [InlineData("👍\u0000")]
    public void TextOrJunk_IsNotOnlyEmoji(string text) => Assert.False(Emoji.IsOnlyEmoji(text));

    [Theory]
    [InlineData("🤬", true)]
    [InlineData("😡😡😡", true)]
    [InlineData("👍", false)]
    public void Sentiment_ReadsEmoji(string text, bool angry)
    {
        var mood = Sentiment.Analyze(text);

        Assert.Equal(angry, mood.IsAngry);
        Assert.Equal(angry, mood.Score < 0);
        Assert.NotEmpty(mood.Cues);
    }
}
