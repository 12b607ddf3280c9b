namespace Kefu.Nlu;

/// <summary>Training settings of <see cref="IntentModel"/>. The defaults are meant to be left alone.</summary>
public sealed class IntentModelOptions
{
    /// <summary>Passes of the classifier over the training set.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>AdaGrad base learning rate.</summary>
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>L2 penalty on the classifier weights.</summary>
    public float L2 { get; init; } = 1e-5f;

    /// <summary>Weight of the in-word character n-gram block relative to the word block (both are L2-normalised separately).</summary>
    public float CharGramWeight { get; init; } = 1f;

    /// <summary>Longest in-word character n-gram; 0 disables them.</summary>
    public int MaxCharGram { get; init; } = 4;

    /// <summary>Seed of every random choice (shuffles, folds): the same data and options give the same model.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>How many intents <see cref="IntentPrediction.Top"/> lists.</summary>
    public int TopK { get; init; } = 5;

    /// <summary>
    /// Folds of the internal cross-validation that produces held-out predictions for calibration when no
    /// <see cref="CalibrationExamples"/> are given. Costs this many extra (smaller) trainings; 0 or 1 skips calibration.
    /// </summary>
    public int CalibrationFolds { get; init; } = 3;

    /// <summary>
    /// Optional development set (labels may include <see cref="IntentModel.OutOfScopeLabel"/>) on which the
    /// temperature and the out-of-scope threshold are chosen instead of the internal folds.
    /// </summary>
    public IReadOnlyList<TrainingExample>? CalibrationExamples { get; init; }

    /// <summary>
    /// How much in-scope accuracy (share of held-out in-scope questions answered right) the out-of-scope
    /// threshold may cost. Rejecting a question the model gets wrong costs nothing, so the threshold first
    /// removes low-confidence mistakes; with out-of-scope calibration examples it stops where catching
    /// them stops paying, without them at this budget.
    /// </summary>
    public double MaxInScopeAccuracyLoss { get; init; } = 0.03;

    /// <summary>A fixed out-of-scope threshold in [0, 1], overriding the calibrated one.</summary>
    public double? OutOfScopeThreshold { get; init; }

    /// <summary>
    /// Chinese word features next to the character n-grams (see <see cref="ChineseSegmenter"/>): 0 none, 1 the
    /// segmented words, 2 the words and pairs of neighbouring words.
    /// </summary>
    public int ChineseWordGrams { get; init; } = 1;

    /// <summary>
    /// An optional second out-of-scope signal (off by default: it did not pay on our sets, see docs/nlu.md): how similar
    /// the question is to what the best intent was trained on. A question
    /// whose similarity is below <see cref="IntentModel.SimilarityThreshold"/> (calibrated with the confidence
    /// threshold) is out of scope however confident the classifier is.
    /// </summary>
    public IntentSimilarity Similarity { get; init; }

    /// <summary>
    /// Share of the intents left out of each internal calibration fold's training, whose held-out phrasings then play
    /// unknown questions: the out-of-scope threshold is placed on questions the model truly never saw, without any
    /// out-of-scope data. 0 turns it off; needs at least 5 intents.
    /// </summary>
    public double HeldOutIntentShare { get; init; } = 0.2;
}

/// <summary>How <see cref="IntentModel"/> measures a question's similarity to its best intent's training phrasings.</summary>
public enum IntentSimilarity
{
    /// <summary>Not measured: only the classifier's confidence decides out of scope.</summary>
    None,

    /// <summary>Cosine similarity to the centroid of the intent's training phrasings.</summary>
    Centroid,
}
