using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

/// <summary>The similarity signal, its calibration, and calibration on intents held out of the internal folds.</summary>
public sealed class NoveltyTests(ShopData shop) : IClassFixture<ShopData>
{
    [Fact]
    public void FitThreshold_ConfidentButDissimilarOutOfScopeItems_ChoosesASimilarityThresholdThatCatchesThem()
    {
        // In scope: confident and similar (one in five wrong and less similar). Out of scope: just as confident, but dissimilar.
        var items = new List<HeldOutScore>();
        for (var i = 0; i < 100; i++)
        {
            var truth = i % 3;
            var predicted = i % 5 == 0 ? (truth + 1) % 3 : truth;
            items.Add(new HeldOutScore(Logits(predicted, 4f), truth, i % 5 == 0 ? 0.3f : 0.6f + (i % 7 * 0.03f)));
        }

        for (var i = 0; i < 40; i++)
        {
            items.Add(new HeldOutScore(Logits(i % 3, 4f), -1, 0.1f + (i % 4 * 0.02f)));
        }

        var (_, _, similarity) = Calibration.FitThreshold(items, 1.0, 0.03, 3);

        Assert.InRange(similarity, 0.17, 0.6); // above every out-of-scope item, below every right in-scope one
        Assert.All(items.Where(i => i.Truth < 0), i => Assert.Equal(0, Calibration.Decide(Probabilities(i), 3, 0, i.Similarity, similarity).Confidence));
    }

    [Fact]
    public void FitThreshold_WithoutOutOfScopeItems_NeverUsesSimilarity()
    {
        var items = Enumerable.Range(0, 60).Select(i => new HeldOutScore(Logits(i % 3, 2f), i % 3, i / 60f)).ToList();

        Assert.Equal(0, Calibration.FitThreshold(items, 1.0, 0.03, 3).SimilarityThreshold);
    }

    [Fact]
    public void FitThreshold_SimilarityThatWouldCostMoreThanTheBudget_IsNotChosen()
    {
        // Out-of-scope items are exactly as similar as right in-scope ones: rejecting them by similarity costs accuracy.
        var items = Enumerable.Range(0, 100).Select(i => new HeldOutScore(Logits(i % 3, 4f), i % 3, 0.2f + (i % 10 * 0.05f))).ToList();
        items.AddRange(Enumerable.Range(0, 30).Select(i => new HeldOutScore(Logits(i % 3, 4f), -1, 0.2f + (i % 10 * 0.05f))));

        var (_, _, similarity) = Calibration.FitThreshold(items, 1.0, 0.03, 3);

        Assert.True(items.Count(i => i.Truth >= 0 && i.Similarity < similarity) <= 3, $"similarity threshold {similarity} rejects too many in-scope items");
    }

    [Fact]
    public void IntentSlices_AreDisjointSlicesOfTheAskedShare()
    {
        var slices = Folds.IntentSlices(40, 3, 0.2, 7);

        Assert.Equal(3, slices.Length);
        Assert.All(slices, s => Assert.Equal(8, s.Count));
        Assert.Empty(slices[0].Intersect(slices[1]).Concat(slices[1].Intersect(slices[2])));
        Assert.All(Folds.IntentSlices(4, 3, 0.2, 7), s => Assert.Empty(s));
        Assert.All(Folds.IntentSlices(40, 3, 0, 7), s => Assert.Empty(s));
    }

    [Fact]
    public void Train_WithCentroidSimilarityAndHeldOutIntents_KeepsShopQuestionsAndRejectsSomeUnseenTopics()
    {
        var model = IntentModel.Train(shop.Train, new IntentModelOptions { Similarity = IntentSimilarity.Centroid, HeldOutIntentShare = 0.2, ChineseWordGrams = 1 });

        var inScope = shop.Test.Where(e => e.Label != IntentModel.OutOfScopeLabel).ToList();
        var outOfScope = shop.Test.Where(e => e.Label == IntentModel.OutOfScopeLabel).ToList();
        var answered = inScope.Count(e => model.Predict(e.Text).Intent == e.Label);
        var rejected = outOfScope.Count(e => model.Predict(e.Text).IsOutOfScope);

        Assert.True(answered >= 0.75 * inScope.Count, $"{answered}/{inScope.Count} in-scope answered right");
        Assert.True(rejected >= 0.3 * outOfScope.Count, $"{rejected}/{outOfScope.Count} out-of-scope rejected");
        Assert.Equal("return_goods", model.Predict("我要退货").Intent);
    }

    [Fact]
    public void Train_WithoutSimilarity_HasNoSimilarityThreshold() =>
        Assert.Equal(0, IntentModel.Train(shop.Train, new IntentModelOptions { Similarity = IntentSimilarity.None }).SimilarityThreshold);

    private static float[] Logits(int top, float margin)
    {
        var scores = new float[3];
        scores[top] = margin;
        return scores;
    }

    private static double[] Probabilities(HeldOutScore item) => Calibration.Probabilities(item.Scores, 1.0);
}
