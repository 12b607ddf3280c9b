using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class TokenizerTests
{
    [Fact]
    public void Features_Chinese_HasCharacterUniBiAndTrigrams()
    {
        var features = Tokenizer.Default.Features("退货运费");
        Assert.Contains("h:退", features);
        Assert.Contains("h:退货", features);
        Assert.Contains("h:退货运", features);
        Assert.DoesNotContain("h:退货运费", features);
    }

    [Fact]
    public void Features_English_HasStemmedWordsBigramsAndCharGrams()
    {
        var features = Tokenizer.Default.Features("cancelled transfers");
        Assert.Contains("w:cancel", features);
        Assert.Contains("w:transfer", features);
        Assert.Contains("b:cancel transfer", features);
        Assert.Contains("c:<ca", features);
        Assert.Contains("c:rs>", features);
    }

    [Fact]
    public void Features_CharGrams_DoNotCrossWordBoundaries()
    {
        var features = Tokenizer.Default.Features("ab cd");
        Assert.DoesNotContain(features, f => f.StartsWith("c:", StringComparison.Ordinal) && f.Contains("b c", StringComparison.Ordinal));
        Assert.DoesNotContain("c:bc", features);
    }

    [Fact]
    public void Features_MixedText_HasBothKinds()
    {
        var features = Tokenizer.Default.Features("Order退货");
        Assert.Contains("w:order", features);
        Assert.Contains("h:退货", features);
    }

    [Fact]
    public void Words_TraditionalInput_MatchesSimplifiedTerms() =>
        Assert.Equal(Tokenizer.Default.Words("退货地址"), Tokenizer.Default.Words("退貨地址"));

    [Theory]
    [InlineData("cards", "card")]
    [InlineData("charged", "charg")]
    [InlineData("charge", "charg")]
    [InlineData("transferring", "transfer")]
    [InlineData("fee", "fee")]
    [InlineData("companies", "company")]
    public void Words_English_AreLightlyStemmed(string word, string stem) =>
        Assert.Equal([stem], Tokenizer.Default.Words(word));
}
