using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class RobustnessTests(ShopData shop) : IClassFixture<ShopData>
{
    public static TheoryData<string> HostileInputs() => new()
    {
        "",
        "   ",
        new string('字', 1_000_000),
        string.Concat(Enumerable.Repeat("refund ", 150_000)),
        "\u0000\u0001\u0002\u001b[31m\uFFFF\uD800",
        "<script>alert('x')</script>",
        "'; DROP TABLE articles; --",
        "\uD83D\uDE00\uD83D\uDE00 emoji only",
        new string(Enumerable.Range(0, 5000).Select(i => (char)(i * 7919 % 65536)).ToArray()),
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Predict_HostileInput_NeverThrows(string text)
    {
        var prediction = shop.Model.Predict(text);
        Assert.InRange(prediction.Confidence, 0, 1);
    }

    [Fact]
    public void Predict_Empty_IsOutOfScope() => Assert.True(shop.Model.Predict("").IsOutOfScope);

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Helpers_HostileInput_NeverThrow(string text)
    {
        _ = HandoffRequest.IsRequest(text);
        Assert.InRange(Sentiment.Analyze(text).Score, -1, 1);
        _ = Tokenizer.Default.Features(text);
        _ = ArticleIndex.Build([new("a", text)]).Search(text, 3);
        Assert.NotEmpty(SimilarityGrouper.Group([text, text]));
    }

    [Fact]
    public void Predict_ManyThreadsAtOnce_GiveTheSameAnswers()
    {
        var texts = shop.Test.Select(e => e.Text).ToArray();
        var expected = texts.Select(t => shop.Model.Predict(t).Top[0].Label).ToArray();
        var results = new string[8][];
        Parallel.For(0, 8, i => results[i] = texts.Select(t => shop.Model.Predict(t).Top[0].Label).ToArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
