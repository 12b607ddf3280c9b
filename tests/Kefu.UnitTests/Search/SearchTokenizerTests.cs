using Kefu.Server.Features.Search;

namespace Kefu.UnitTests.Search;

public sealed class SearchTokenizerTests
{
    [Fact]
    public void ChineseSentence_BecomesOverlappingPairs_SoATwoCharacterWordInsideIsAWord()
    {
        var words = SearchTokenizer.Tokenize("我想申请退款");

        Assert.Equal(["我想", "想申", "申请", "请退", "退款"], words);
    }

    [Fact]
    public void Punctuation_SplitsRuns_AndALoneCharacterStaysOneWord()
    {
        Assert.Equal(["你好", "好", "发货", "货了", "吗"], SearchTokenizer.Tokenize("你好！好，发货了？吗"));
    }

    [Fact]
    public void MixedText_SplitsScripts_LowerCasesWords_AndDropsPunctuation()
    {
        Assert.Equal(["订单", "order", "123", "退款", "refund", "it", "s"], SearchTokenizer.Tokenize("订单Order-123退款 REFUND it's"));
    }

    [Fact]
    public void FullWidthLettersAndDigits_FoldToTheirAsciiForms()
    {
        Assert.Equal(["order", "123", "退款"], SearchTokenizer.Tokenize("ＯＲＤＥＲ　１２３，退款"));
    }

    [Fact]
    public void KanaAndHangul_AreRunsToo_AndAccentsStay()
    {
        Assert.Equal(["あり", "りが", "がと", "とう", "감사", "사합", "합니", "니다", "café"], SearchTokenizer.Tokenize("ありがとう 감사합니다 Café"));
    }

    [Fact]
    public void Query_IsPhrasesJoinedByAnd_ALoneHanIsAPrefix_AndSyntaxCharactersAreSeparators()
    {
        var query = SearchQuery.Parse("退款发货 \"refund\" OR 退 *:&")!;

        Assert.Equal("\"退款 款发 发货\" AND \"refund\" AND \"or\" AND \"退\" *", query.ToSqlite());
        Assert.Equal("(退款 <-> 款发 <-> 发货) & (refund) & (or) & 退:*", query.ToPostgres());
        Assert.Null(SearchQuery.Parse("\"*():&!"));
    }

    [Fact]
    public void Snippet_MarksEveryMatch_KeepsTheOriginalText_AndCutsAroundTheFirst()
    {
        var text = new string('前', 100) + "申请<b>退款</b>，REFUND now" + new string('后', 200);
        var query = SearchQuery.Parse("退款 refund")!;

        var spans = SearchSnippet.Build(text, query.Pieces);

        Assert.Equal("…", spans[0].Text);
        Assert.Equal(["退款", "REFUND"], spans.Where(s => s.Match).Select(s => s.Text));
        Assert.Contains(spans, s => s.Text.Contains("<b>", StringComparison.Ordinal) && !s.Match);
        Assert.Equal("…", spans[^1].Text);
        Assert.True(string.Concat(spans.Select(s => s.Text)).Length <= SearchSnippet.MaxLength + 2);
    }

    [Fact]
    public void Snippet_MatchesWordsWhole_NotInsideOtherWords()
    {
        var spans = SearchSnippet.Build("reorder the order", SearchQuery.Parse("order")!.Pieces);

        Assert.Equal(["reorder the ", "order"], spans.Select(s => s.Text));
        Assert.True(spans[1].Match);
        Assert.Equal(["鞋子", "ABC", "想"], SearchSnippet.Build("鞋子ABC想", SearchQuery.Parse("abc")!.Pieces).Select(s => s.Text));
    }
}
