using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class ArticleIndexTests
{
    private static readonly ArticleIndex Index = ArticleIndex.Build(
    [
        new("returns", "退货政策：签收后七天内可无理由退货，商品需保持完好，退货运费由买家承担。"),
        new("invoice", "发票说明：下单时可选择电子发票或纸质发票，公司抬头需填写税号。"),
        new("shipping", "Shipping: orders placed before 4pm ship the same day. Delivery takes two to five working days."),
        new("password", "Reset your password from the login page. A verification code is sent to your phone."),
    ]);

    [Fact]
    public void Search_ChineseQuery_FindsTheArticleByItsBody() =>
        Assert.Equal("invoice", Index.Search("公司发票要填税号吗", 3)[0].Id);

    [Fact]
    public void Search_EnglishQuery_FindsTheArticleByItsBody() =>
        Assert.Equal("shipping", Index.Search("how many days does delivery take", 3)[0].Id);

    [Fact]
    public void Search_InflectedWord_MatchesItsStem() =>
        Assert.Equal("password", Index.Search("resetting passwords", 1)[0].Id);

    [Fact]
    public void Search_TraditionalQuery_MatchesSimplifiedText() =>
        Assert.Equal("returns", Index.Search("退貨運費誰出", 1)[0].Id);

    [Fact]
    public void Search_Results_AreOrderedByScoreAndLimitedToK()
    {
        var hits = Index.Search("退货 发票 delivery password", 2);
        Assert.Equal(2, hits.Count);
        Assert.True(hits[0].Score >= hits[1].Score);
    }

    [Fact]
    public void Search_NothingInCommon_ReturnsNoHits() => Assert.Empty(Index.Search("zebra", 5));

    [Fact]
    public void Search_EmptyIndex_ReturnsNoHits() => Assert.Empty(ArticleIndex.Build([]).Search("退货", 5));
}
