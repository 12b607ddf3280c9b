using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class IntentModelTests(ShopData shop) : IClassFixture<ShopData>
{
    [Theory]
    [InlineData("麻烦帮我看看订单到哪了", "order_status")]
    [InlineData("退款怎么还没到账", "refund")]
    [InlineData("能用支付宝付款吗", "payment_methods")]
    [InlineData("i forgot my password", "account_login")]
    public void Predict_Paraphrase_IsClassifiedRight(string text, string intent) =>
        Assert.Equal(intent, shop.Model.Predict(text).Top[0].Label);

    [Fact]
    public void Predict_TraditionalCharacters_GiveTheSameIntentAsSimplified() =>
        Assert.Equal(shop.Model.Predict("我想修改收货地址").Top[0].Label, shop.Model.Predict("我想修改收貨地址").Top[0].Label);

    [Fact]
    public void Predict_HeldOutShopQuestions_AreMostlyRight()
    {
        var inScope = shop.Test.Where(e => e.Label != IntentModel.OutOfScopeLabel).ToList();
        var right = inScope.Count(e => shop.Model.Predict(e.Text).Top[0].Label == e.Label);
        Assert.True(right >= 0.85 * inScope.Count, $"{right}/{inScope.Count} right");
    }

    [Fact]
    public void Predict_UnrelatedQuestion_IsOutOfScope() =>
        Assert.True(shop.Model.Predict("给我讲个笑话").IsOutOfScope);

    [Fact]
    public void Predict_ClearQuestion_IsInScopeWithHigherConfidenceThanAnUnrelatedOne()
    {
        var clear = shop.Model.Predict("我要退货");
        Assert.False(clear.IsOutOfScope);
        Assert.Equal("return_goods", clear.Intent);
        Assert.True(clear.Confidence > shop.Model.Predict("what is the capital of france").Confidence);
    }

    [Fact]
    public void Predict_TopScores_AreSortedProbabilities()
    {
        var top = shop.Model.Predict("运费多少").Top;
        Assert.Equal(5, top.Count);
        Assert.All(top, s => Assert.InRange(s.Score, 0, 1));
        Assert.Equal(top.OrderByDescending(s => s.Score).Select(s => s.Label), top.Select(s => s.Label));
    }

    [Fact]
    public void Train_OutOfScopeRows_NeverBecomeAnIntent()
    {
        var model = IntentModel.Train([.. shop.Train, new("今天天气怎么样", "oos"), new("讲个笑话", "OOS")]);
        Assert.DoesNotContain(model.Labels, l => l.Equals("oos", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(15, model.Labels.Count);
    }

    [Fact]
    public void Train_SameDataTwice_GivesTheSameModel()
    {
        var again = IntentModel.Train(shop.Train);
        Assert.Equal(shop.Model.OutOfScopeThreshold, again.OutOfScopeThreshold);
        Assert.Equal(shop.Model.Predict("发票怎么开").Top, again.Predict("发票怎么开").Top);
    }

    [Fact]
    public void WithOutOfScopeThreshold_AboveEveryConfidence_RejectsEverything()
    {
        var strict = shop.Model.WithOutOfScopeThreshold(1.0);
        Assert.True(strict.Predict("我要退货").IsOutOfScope);
        Assert.Null(strict.Predict("我要退货").Intent);
    }

    [Fact]
    public void WithOutOfScopeThreshold_Zero_AcceptsEverything() =>
        Assert.False(shop.Model.WithOutOfScopeThreshold(0).Predict("给我讲个笑话").IsOutOfScope);

    [Fact]
    public void Calibrate_DevWithOutOfScopeQuestions_RejectsMoreOfThemThanNoThreshold()
    {
        var calibrated = shop.Model.Calibrate(shop.Test, maxInScopeAccuracyLoss: 0.1);
        var oos = shop.Test.Where(e => e.Label == IntentModel.OutOfScopeLabel).ToList();
        Assert.True(calibrated.OutOfScopeThreshold > 0);
        Assert.True(oos.Count(e => calibrated.Predict(e.Text).IsOutOfScope) >= oos.Count / 2);
    }

    [Fact]
    public void Train_NoIntents_GivesAModelThatSaysOutOfScope()
    {
        var model = IntentModel.Train([new("hello", "oos")]);
        var prediction = model.Predict("hello");
        Assert.True(prediction.IsOutOfScope);
        Assert.Empty(prediction.Top);
    }
}
