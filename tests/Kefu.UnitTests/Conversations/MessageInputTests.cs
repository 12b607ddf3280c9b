using Kefu.Server.Features.Conversations;
using Kefu.Server.Features.Conversations.Contracts;

namespace Kefu.UnitTests.Conversations;

public sealed class MessageInputTests
{
    [Theory]
    [InlineData("  hello  ", "hello")]
    [InlineData("a\r\nb\rc", "a\nb\nc")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("nul\u0000bell\u0007gone", "nulbellgone")]
    [InlineData("你好 👋 <b>x</b>", "你好 👋 <b>x</b>")]
    public void CleanText_RemovesControlCharacters_AndKeepsEverythingElse(string input, string expected)
    {
        var (text, error) = MessageInput.CleanText(input, hasAttachment: false);

        Assert.Null(error);
        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    [InlineData("\u0000\u0001")]
    public void CleanText_WithNothingLeft_IsEmptyError_UnlessThereIsAnAttachment(string? input)
    {
        Assert.Equal(ConversationErrors.TextEmpty, MessageInput.CleanText(input, hasAttachment: false).Error);
        Assert.Equal("", MessageInput.CleanText(input, hasAttachment: true).Text);
    }

    [Fact]
    public void CleanText_AtTheLimit_Passes_AndOneMore_Fails()
    {
        Assert.Null(MessageInput.CleanText(new string('好', MessageRules.MaxTextLength), false).Error);
        Assert.Equal(ConversationErrors.TextTooLong, MessageInput.CleanText(new string('好', MessageRules.MaxTextLength + 1), false).Error);
        Assert.Equal(ConversationErrors.TextTooLong, MessageInput.CleanText(new string('x', 1_000_000), false).Error);
    }

    [Theory]
    [InlineData("abc-123", true)]
    [InlineData("c:1.2_3", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("with space", false)]
    [InlineData("中文", false)]
    [InlineData("<script>", false)]
    [InlineData("bot:0193a1a4", false)]
    [InlineData("act:0193a1a4:0", false)]
    [InlineData("robot:1", true)]
    public void IsValidClientMessageId_AcceptsOnlyShortSafeIds(string? id, bool valid)
    {
        Assert.Equal(valid, MessageInput.IsValidClientMessageId(id));
    }

    [Fact]
    public void IsValidClientMessageId_RejectsMoreThan64Characters()
    {
        Assert.True(MessageInput.IsValidClientMessageId(new string('a', 64)));
        Assert.False(MessageInput.IsValidClientMessageId(new string('a', 65)));
    }

    [Fact]
    public void Preview_TakesTheFirstLine_AndShortensLongText()
    {
        Assert.Equal("first", MessageInput.Preview("first\nsecond", false));
        Assert.Equal(120, MessageInput.Preview(new string('x', 500), false).Length);
        Assert.Equal("📎", MessageInput.Preview("", hasAttachment: true));
    }
}
