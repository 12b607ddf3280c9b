using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public sealed class ChineseSegmenterTests
{
    [Theory]
    [InlineData("我想申请退货退款", new[] { "申请", "退货", "退款" })]
    [InlineData("优惠券怎么用不了", new[] { "优惠券" })]
    [InlineData("收货地址写错了", new[] { "收货地址" })]
    [InlineData("明天会下雨吗", new[] { "明天", "下雨" })]
    public void Segment_ShopAndEverydayText_FindsTheWords(string text, string[] expected)
    {
        var words = ChineseSegmenter.Segment(text);

        Assert.All(expected, w => Assert.Contains(w, words));
        Assert.Equal(TextNormalizer.Normalize(text).Replace(" ", "", StringComparison.Ordinal), string.Concat(words));
    }

    [Fact]
    public void Segment_TraditionalCharacters_GiveTheSimplifiedWords() =>
        Assert.Equal(ChineseSegmenter.Segment("我要退货开发票"), ChineseSegmenter.Segment("我要退貨開發票"));

    [Fact]
    public void Segment_MixedText_KeepsOnlyTheChineseRunsInOrder()
    {
        var words = ChineseSegmenter.Segment("iPhone 15的订单2024112300123怎么还没发货?");

        Assert.Equal("的订单怎么还没发货", string.Concat(words));
        Assert.Contains("订单", words);
        Assert.Contains("发货", words);
        Assert.DoesNotContain(words, w => w.Any(char.IsAsciiLetterOrDigit));
    }

    [Fact]
    public void Segment_LongRunEmptyAndJunk_NeverThrowAndCoverEveryCharacter()
    {
        var longRun = string.Concat(Enumerable.Repeat("请帮我查一下订单物流信息", 30));

        Assert.Equal(longRun, string.Concat(ChineseSegmenter.Segment(longRun)));
        Assert.Empty(ChineseSegmenter.Segment(null));
        Assert.Empty(ChineseSegmenter.Segment("   !!! 😀 abc"));
        Assert.All(ChineseSegmenter.Segment(longRun), w => Assert.InRange(w.Length, 1, 4));
    }

    [Fact]
    public void Tokenizer_WithChineseWords_AddsWordAndPairFeaturesOnlyWhenAsked()
    {
        var plain = Tokenizer.Default.Features("退款什么时候到账");
        var words = new Tokenizer(2, 4, chineseWordGrams: 1).Features("退款什么时候到账");
        var pairs = new Tokenizer(2, 4, chineseWordGrams: 2).Features("退款什么时候到账");

        Assert.DoesNotContain(plain, f => f.StartsWith("s:", StringComparison.Ordinal));
        Assert.Contains("s:退款", words);
        Assert.True(words.Count(f => f.StartsWith("s:", StringComparison.Ordinal)) >= 2, string.Join(' ', words));
        Assert.DoesNotContain(words, f => f.StartsWith("s:", StringComparison.Ordinal) && f.Contains(' ', StringComparison.Ordinal));
        Assert.Contains(pairs, f => f.StartsWith("s:退款 ", StringComparison.Ordinal));
        Assert.Equal(plain, words.Where(f => !f.StartsWith("s:", StringComparison.Ordinal)));
    }
}
