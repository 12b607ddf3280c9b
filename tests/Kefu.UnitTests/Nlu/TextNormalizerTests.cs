using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class TextNormalizerTests
{
    [Fact]
    public void Normalize_FullWidthLatin_BecomesHalfWidth() =>
        Assert.Equal("abc 123", TextNormalizer.Normalize("ＡＢＣ　１２３"));

    [Fact]
    public void Normalize_TraditionalChinese_BecomesSimplified() =>
        Assert.Equal("我的订单到哪里了 运费怎么算", TextNormalizer.Normalize("我的訂單到哪裡了？運費怎麼算"));

    [Fact]
    public void Normalize_SimplifiedChinese_IsLeftAsIs() =>
        Assert.Equal("发票干什么用", TextNormalizer.Normalize("发票干什么用"));

    [Fact]
    public void Normalize_UpperCase_BecomesLowerCase() =>
        Assert.Equal("where is my card", TextNormalizer.Normalize("WHERE Is My CARD"));

    [Fact]
    public void Normalize_PunctuationAndWhitespace_CollapseToSingleSpaces() =>
        Assert.Equal("hello world 你好 世界", TextNormalizer.Normalize("  Hello,   world!!! \t你好，世界。 "));

    [Fact]
    public void Normalize_ApostropheInsideWord_KeepsTheWordWhole() =>
        Assert.Equal("i dont know", TextNormalizer.Normalize("I don't know"));

    [Fact]
    public void Normalize_ControlCharacters_BecomeSeparators() =>
        Assert.Equal("a b", TextNormalizer.Normalize("a\u0000\u0007b\u200B"));

    [Fact]
    public void Normalize_HugeInput_IsCutAtTheLimit()
    {
        var normalized = TextNormalizer.Normalize(new string('x', 1_000_000));
        Assert.Equal(TextNormalizer.MaxInputLength, normalized.Length);
    }

    [Fact]
    public void Normalize_Null_GivesEmpty() => Assert.Equal(string.Empty, TextNormalizer.Normalize(null));
}
