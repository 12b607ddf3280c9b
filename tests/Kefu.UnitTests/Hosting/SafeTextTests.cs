using Kefu.Server.Features.Conversations;
using Kefu.Server.Hosting;

namespace Kefu.UnitTests.Hosting;

public sealed class SafeTextTests
{
    [Theory]
    [InlineData("Alice", "Alice")]
    [InlineData("  Alice  ", "Alice")]
    [InlineData("Al\u0000ice", "Alice")]
    [InlineData("Alice\r\nBob", "Alice Bob")]
    [InlineData("Alice\tBob", "Alice Bob")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("\u2066x\u2069\u200E\u200F\u061C\uFEFF", "x")]
    [InlineData("\u001B[31mred", "[31mred")]
    [InlineData("客服 小王 👩‍💻", "客服 小王 👩‍💻")]
    public void SingleLine_RemovesControlAndBidiCharacters_AndKeepsTheRest(string input, string expected)
    {
        Assert.Equal(expected, SafeText.SingleLine(input));
    }

    [Fact]
    public void SingleLine_RemovesLoneSurrogates_AndKeepsPairs()
    {
        // Built in code: attribute data cannot hold a lone surrogate.
        var text = "lone " + '\uD800' + " pair 😀";

        Assert.Equal("lone  pair 😀", SafeText.SingleLine(text));
    }

    [Theory]
    [InlineData("a\r\nb\rc\nd", "a\nb\nc\nd")]
    [InlineData("a\tb", "a\tb")]
    [InlineData("a\u0000b\u0007c\u202Ed", "abcd")]
    [InlineData("a\u2028b", "a\nb")]
    public void MultiLine_KeepsLineBreaksAndTabsOnly(string input, string expected)
    {
        Assert.Equal(expected, SafeText.MultiLine(input));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(" mon-fri 09:00-17:00 ", true)]
    [InlineData("vip\u202E", false)]
    [InlineData("mon-fri\n09:00-17:00", false)]
    public void IsSingleLine_TellsWhetherCleaningWouldChangeAnything(string? input, bool expected)
    {
        Assert.Equal(expected, SafeText.IsSingleLine(input));
    }

    [Fact]
    public void ContentDisposition_IsPlainAscii_WithTheExactNameEncoded()
    {
        var header = AttachmentRules.ContentDisposition("application/pdf", "报价\u202Egpj.pdf\r\n\"; x=1");

        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("attachment; filename=\"__gpj.pdf _ x=1\"; filename*=UTF-8''", header);
        Assert.EndsWith(Uri.EscapeDataString("报价gpj.pdf ; x=1"), header);
    }
}
