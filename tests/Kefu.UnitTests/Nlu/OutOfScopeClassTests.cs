using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public sealed class OutOfScopeClassTests
{
    private static readonly string[] Orders = ["where is my order", "track my order", "order status please", "has my order shipped", "when will my order arrive", "my order has not come yet"];
    private static readonly string[] Refunds = ["i want a refund", "refund my money", "how do i get my money back", "can i return this for a refund", "refund status", "give me a refund"];
    private static readonly string[] Payments = ["which payment methods do you accept", "can i pay by card", "do you take paypal", "pay with alipay", "payment failed", "is wechat pay supported"];
    private static readonly string[] OutOfScope =
    [
        "what is the weather today", "tell me a joke", "who won the football game", "play some music", "what time is it in tokyo",
        "recommend a movie", "how tall is mount everest", "translate hello into french", "what is the capital of peru", "set an alarm",
        "how old is the universe", "sing me a song",
    ];

    [Fact]
    public void Train_WithOutOfScopeRows_LearnsThemAsAClassThatRejectsLookalikes()
    {
        var model = IntentModel.Train(Examples(withOutOfScope: true));

        Assert.Equal(3, model.Labels.Count); // the out-of-scope class is never an intent
        Assert.True(model.OutOfScopeClassWeight > 0, "calibration should keep the learned class here");
        Assert.True(model.Predict("tell me a funny joke").IsOutOfScope);
        Assert.True(model.Predict("what is the weather tomorrow").IsOutOfScope);
        Assert.DoesNotContain(model.Predict("tell me a funny joke").Top, t => t.Label == IntentModel.OutOfScopeLabel);
    }

    [Fact]
    public void Train_WithOutOfScopeRows_StillAnswersInScopeParaphrases()
    {
        var model = IntentModel.Train(Examples(withOutOfScope: true));

        var prediction = model.Predict("where is my order now");

        Assert.False(prediction.IsOutOfScope);
        Assert.Equal("order", prediction.Intent);
    }

    [Fact]
    public void Train_WithFewOutOfScopeRows_HasNoOutOfScopeClass()
    {
        var few = Examples(withOutOfScope: false).Concat(OutOfScope.Take(IntentModel.MinOutOfScopeExamplesForClass - 1)
            .Select(t => new TrainingExample(t, IntentModel.OutOfScopeLabel))).ToList();

        Assert.Equal(0, IntentModel.Train(few).OutOfScopeClassWeight);
    }

    private static List<TrainingExample> Examples(bool withOutOfScope) =>
    [
        .. Orders.Select(t => new TrainingExample(t, "order")),
        .. Refunds.Select(t => new TrainingExample(t, "refund")),
        .. Payments.Select(t => new TrainingExample(t, "payment")),
        .. withOutOfScope ? OutOfScope.Select(t => new TrainingExample(t, IntentModel.OutOfScopeLabel)) : [],
    ];
}
