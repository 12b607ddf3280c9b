using Kefu.Nlu;
using Kefu.Server.Features.Bot;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.Extensions.Options;

namespace Kefu.UnitTests.Bot;

public sealed class BotDeciderTests
{
    private static readonly Guid Shipping = Guid.NewGuid();
    private static readonly Guid Returns = Guid.NewGuid();
    private static readonly Guid Refunds = Guid.NewGuid();
    private readonly BotDecider _decider = new(Options.Create(new BotOptions()));

    [Theory]
    [InlineData("转人工")]
    [InlineData("I want to talk to a human")]
    public void AskingForAPerson_HandsOffAsRequested_EvenWhenTheQuestionIsKnown(string text)
    {
        var decision = _decider.Decide(Input(text, Sure(Shipping), Hit(Shipping, 20)));

        Assert.Equal(BotOutcome.HandedOff, decision.Outcome);
        Assert.Equal(HandoffReasons.Requested, decision.HandoffReason);
    }

    [Fact]
    public void AngryMessage_HandsOffAsAngry()
    {
        var decision = _decider.Decide(Input("this is a scam, what the hell", Sure(Shipping), Hit(Shipping, 20)));

        Assert.Equal(HandoffReasons.Angry, decision.HandoffReason);
        Assert.True(decision.Sentiment.IsAngry);
    }

    [Fact]
    public void ConfidentIntent_WhoseWordsMatch_IsAnswered()
    {
        var decision = _decider.Decide(Input("how much is shipping", Sure(Shipping), Hit(Shipping, 12)));

        Assert.Equal(BotOutcome.Answered, decision.Outcome);
        Assert.Equal(Shipping, decision.ArticleId);
        Assert.False(decision.IsMiss);
    }

    [Fact]
    public void ConfidentIntent_WithoutMatchingWords_OffersItAsAChoiceInstead()
    {
        var decision = _decider.Decide(Input("今天天气怎么样", Sure(Shipping), Hit(Shipping, 6)));

        Assert.Equal(BotOutcome.Choices, decision.Outcome);
        Assert.Equal([Shipping], decision.Choices);
        Assert.True(decision.IsMiss);
        Assert.True(decision.Unanswered);
    }

    [Fact]
    public void UnsureBetweenTwo_OffersBothAsChoices_BestFirst_AtMostThree()
    {
        var prediction = new IntentPrediction([new(Returns.ToString(), 0.55), new(Refunds.ToString(), 0.44), new(Shipping.ToString(), 0.01)], false, 0.55);
        var decision = _decider.Decide(Input("退货退款", prediction, Hit(Refunds, 9.9), Hit(Returns, 5.4), Hit(Shipping, 4), Hit(Guid.NewGuid(), 3.9)));

        Assert.Equal(BotOutcome.Choices, decision.Outcome);
        Assert.Equal([Returns, Refunds, Shipping], decision.Choices);
    }

    [Fact]
    public void SecondMissInARow_HandsOffAsRepeatedMisses_KeepingTheChoicesForThePacket()
    {
        var prediction = new IntentPrediction([new(Returns.ToString(), 0.55), new(Refunds.ToString(), 0.44)], false, 0.55);
        var decision = _decider.Decide(Input("退货退款", prediction, Hit(Refunds, 9.9), Hit(Returns, 5.4)) with { PreviousMisses = 1 });

        Assert.Equal(HandoffReasons.RepeatedMisses, decision.HandoffReason);
        Assert.Equal(2, decision.Choices.Count);
    }

    [Fact]
    public void OutOfScope_IgnoresTheClassifiersRanking_AndUsesOnlyStrongSearchHits()
    {
        var prediction = new IntentPrediction([new(Shipping.ToString(), 0.58)], true, 0.58);

        var weak = _decider.Decide(Input("给我讲个笑话", prediction, Hit(Shipping, 3.0)));
        var strong = _decider.Decide(Input("退货退款", prediction, Hit(Refunds, 9.9)));

        Assert.Equal(HandoffReasons.NotKnown, weak.HandoffReason);
        Assert.Equal([Refunds], strong.Choices);
    }

    [Theory]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("\u0001\u0002")]
    public void NothingToRead_AsksToRephrase_ThenHandsOff(string text)
    {
        var first = _decider.Decide(Input(text, null));
        var second = _decider.Decide(Input(text, null) with { PreviousMisses = 1 });

        Assert.Equal(BotOutcome.Rephrase, first.Outcome);
        Assert.True(first.IsMiss);
        Assert.Equal(HandoffReasons.RepeatedMisses, second.HandoffReason);
    }

    [Theory]
    [InlineData("👍")]
    [InlineData("🍬🍬🍬")]
    [InlineData("😊 😊!")]
    [InlineData("🙏🏻")]
    [InlineData("👨‍👩‍👧")]
    public void EmojiOnly_IsAcknowledged_AndIsNeverAMiss_EvenAfterAMiss(string text)
    {
        var first = _decider.Decide(Input(text, null));
        var afterMiss = _decider.Decide(Input(text, null) with { PreviousMisses = 1 });

        Assert.Equal(BotOutcome.Acknowledged, first.Outcome);
        Assert.Equal(BotOutcome.Acknowledged, afterMiss.Outcome);
        Assert.False(first.IsMiss || first.Unanswered || afterMiss.IsMiss);
    }

    [Theory]
    [InlineData("")]
    [InlineData("👀")]
    public void PictureWithoutWords_AsksWhatIsNeeded_AndIsNeverAMiss(string text)
    {
        var decision = _decider.Decide(Input(text, null) with { PreviousMisses = 1, HasAttachment = true });

        Assert.Equal(BotOutcome.ReceivedAttachment, decision.Outcome);
        Assert.False(decision.IsMiss || decision.Unanswered);
    }

    [Fact]
    public void PictureWithAQuestion_IsAnsweredAsTheQuestion()
    {
        var decision = _decider.Decide(Input("how much is shipping", Sure(Shipping), Hit(Shipping, 12)) with { HasAttachment = true });

        Assert.Equal(BotOutcome.Answered, decision.Outcome);
    }

    [Theory]
    [InlineData("🤬")]
    [InlineData("😡😡😡")]
    public void AngryEmoji_HandsOffAsAngry(string text)
    {
        var decision = _decider.Decide(Input(text, null));

        Assert.Equal(HandoffReasons.Angry, decision.HandoffReason);
    }

    [Fact]
    public void Greeting_IsGreetedOnlyOnTheFirstTurn()
    {
        var first = _decider.Decide(Input("你好！", null) with { IsFirstTurn = true });
        var later = _decider.Decide(Input("你好！", null));

        Assert.Equal(BotOutcome.Greeted, first.Outcome);
        Assert.Equal(HandoffReasons.NotKnown, later.HandoffReason);
    }

    [Fact]
    public void Buttons_ChoiceAnswers_FeedbackCounts_HandoffHandsOff()
    {
        bool Exists(Guid id) => id == Shipping;

        var choice = _decider.DecideAction(new MessageAction(MessageAction.Choice, "article:" + Shipping, "x"), 1, Exists);
        var gone = _decider.DecideAction(new MessageAction(MessageAction.Choice, "article:" + Refunds, "x"), 0, Exists);
        var yes = _decider.DecideAction(new MessageAction(MessageAction.Feedback, "helpful:" + Shipping, "x"), 0, Exists);
        var no = _decider.DecideAction(new MessageAction(MessageAction.Feedback, "not_helpful:" + Shipping, "x"), 0, Exists);
        var noAgain = _decider.DecideAction(new MessageAction(MessageAction.Feedback, "not_helpful:" + Shipping, "x"), 1, Exists);
        var person = _decider.DecideAction(new MessageAction(MessageAction.Handoff, "handoff", "x"), 0, Exists);

        Assert.Equal((BotOutcome.Answered, (Guid?)Shipping), (choice.Outcome, choice.ArticleId));
        Assert.Equal(BotOutcome.Rephrase, gone.Outcome);
        Assert.Equal(BotOutcome.Helpful, yes.Outcome);
        Assert.Equal((BotOutcome.NotHelpful, true), (no.Outcome, no.IsMiss));
        Assert.Equal((HandoffReasons.RepeatedMisses, (Guid?)Shipping), (noAgain.HandoffReason, noAgain.ArticleId));
        Assert.Equal(HandoffReasons.Requested, person.HandoffReason);
    }

    [Fact]
    public void MissesBeforeHandoff_IsConfigurable()
    {
        var patient = new BotDecider(Options.Create(new BotOptions { MissesBeforeHandoff = 3 }));
        var prediction = new IntentPrediction([new(Returns.ToString(), 0.55)], false, 0.55);

        var decision = patient.Decide(Input("退货退款", prediction, Hit(Returns, 5.4)) with { PreviousMisses = 1 });

        Assert.Equal(BotOutcome.Choices, decision.Outcome);
    }

    private static BotInput Input(string text, IntentPrediction? prediction, params ArticleHit[] hits) =>
        new(text, false, 0, prediction, hits);

    private static IntentPrediction Sure(Guid id) => new([new(id.ToString(), 0.95), new(Returns.ToString(), 0.03)], false, 0.95);

    private static ArticleHit Hit(Guid id, double score) => new(id.ToString(), score);
}
