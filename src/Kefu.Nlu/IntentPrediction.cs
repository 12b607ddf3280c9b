namespace Kefu.Nlu;

/// <summary>One labelled phrasing: a knowledge-base question (or one of its alternatives) and the id of its article.</summary>
/// <param name="Text">The phrasing, as a visitor might type it.</param>
/// <param name="Label">The intent: the article id. <see cref="IntentModel.OutOfScopeLabel"/> marks a question no article answers.</param>
public sealed record TrainingExample(string Text, string Label);

/// <summary>An intent with its calibrated probability.</summary>
/// <param name="Label">The intent label (article id).</param>
/// <param name="Score">Calibrated probability in [0, 1].</param>
public sealed record ScoredIntent(string Label, double Score);

/// <summary>The answer of <see cref="IntentModel.Predict"/>.</summary>
/// <param name="Top">The best intents, best first (at most <see cref="IntentModelOptions.TopK"/>; empty only for a model without intents).</param>
/// <param name="IsOutOfScope">True when <paramref name="Confidence"/> is below the model's out-of-scope threshold: the bot should not answer with <c>Top[0]</c>.</param>
/// <param name="Confidence">Calibrated probability that <c>Top[0]</c> is right, in [0, 1].</param>
public sealed record IntentPrediction(IReadOnlyList<ScoredIntent> Top, bool IsOutOfScope, double Confidence)
{
    /// <summary>The best intent when in scope, otherwise <c>null</c>.</summary>
    public string? Intent => IsOutOfScope || Top.Count == 0 ? null : Top[0].Label;
}

/// <summary>A calibrated confidence in words (see <see cref="IntentModel.Describe"/>).</summary>
public enum IntentConfidence
{
    /// <summary>Below the calibrated out-of-scope threshold: not a clear intent.</summary>
    Unclear,

    /// <summary>Above the threshold but below 0.5: possibly.</summary>
    Low,

    /// <summary>0.5 to 0.8: likely.</summary>
    Medium,

    /// <summary>0.8 and above: very likely.</summary>
    High,
}
