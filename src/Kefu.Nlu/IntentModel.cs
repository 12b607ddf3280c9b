namespace Kefu.Nlu;

/// <summary>
/// Intent classifier trained from labelled phrasings, with a calibrated confidence and an out-of-scope
/// decision. Immutable once built: <see cref="Predict"/> is thread-safe, and a retrained model is swapped
/// in by replacing the reference (training runs on any thread while the old model keeps answering).
/// </summary>
public sealed class IntentModel
{
    /// <summary>The label that marks out-of-scope examples in training or calibration data. They never become an intent.</summary>
    public const string OutOfScopeLabel = "oos";

    /// <summary>Out-of-scope training rows needed before they are learned as a class of their own.</summary>
    public const int MinOutOfScopeExamplesForClass = 10;

    private readonly IntentScorer? _scorer;
    private readonly string[] _labels;
    private readonly int _topK;

    // Out-of-scope rows learned as a class of their own sit in the scorer's last column, after the
    // intents; without enough such rows there is no such column.
    private readonly bool _hasOutOfScopeClass;

    private IntentModel(IntentScorer? scorer, string[] labels, int topK, double temperature, double threshold, bool hasOutOfScopeClass = false, double classWeight = 1, double similarityThreshold = 0)
    {
        SimilarityThreshold = scorer is { HasSimilarity: true } ? similarityThreshold : 0;
        _hasOutOfScopeClass = hasOutOfScopeClass;
        OutOfScopeClassWeight = hasOutOfScopeClass ? classWeight : 0;
        _scorer = scorer;
        _labels = labels;
        _topK = Math.Max(1, topK);
        Temperature = temperature;
        OutOfScopeThreshold = threshold;
    }

    /// <summary>The intents the model knows, in ordinal order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Predictions whose confidence is below this value are out of scope.</summary>
    public double OutOfScopeThreshold { get; }

    /// <summary>
    /// How much a learned out-of-scope class counts: a question is out of scope when this weight times the class's
    /// probability exceeds the best intent's. 0 when the model has no such class (or calibration found it does not help).
    /// </summary>
    public double OutOfScopeClassWeight { get; }

    /// <summary>
    /// A question whose similarity to the best intent's training phrasings (<see cref="IntentModelOptions.Similarity"/>)
    /// is below this value is out of scope, however confident the classifier is. 0 when not measured or not helpful.
    /// </summary>
    public double SimilarityThreshold { get; }

    /// <summary>Softmax temperature fitted on held-out predictions so that confidences are calibrated probabilities.</summary>
    public double Temperature { get; }

    /// <summary>
    /// Trains a model. Examples labelled <see cref="OutOfScopeLabel"/> are not intents: they only help choose the
    /// out-of-scope threshold. Temperature and threshold come from <see cref="IntentModelOptions.CalibrationExamples"/>
    /// when given, otherwise from an internal cross-validation over the examples.
    /// </summary>
    /// <param name="examples">Labelled phrasings; blank texts are ignored.</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public static IntentModel Train(IReadOnlyList<TrainingExample> examples, IntentModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new IntentModelOptions();
        var normalized = examples.Select(e => (Text: TextNormalizer.Normalize(e.Text), e.Label)).Where(e => e.Text.Length > 0).ToList();
        var inScope = normalized.Where(e => !IsOutOfScope(e.Label)).ToList();
        var labels = inScope.Select(e => e.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length == 0)
        {
            return new IntentModel(null, labels, options.TopK, 1.0, 1.0);
        }

        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var outOfScope = normalized.Where(e => IsOutOfScope(e.Label)).ToList();

        // With enough out-of-scope phrasings (CLINC150-style sets have them) they are learned as one more
        // class: a question like them is then rejected by what it resembles, not only by low confidence.
        var oosClass = outOfScope.Count >= MinOutOfScopeExamplesForClass;
        var learned = oosClass ? inScope.Concat(outOfScope).ToList() : inScope;
        var texts = learned.Select(e => e.Text).ToList();
        var y = learned.Select(e => IsOutOfScope(e.Label) ? labels.Length : index[e.Label]).ToList();
        var classes = labels.Length + (oosClass ? 1 : 0);
        var scorer = IntentScorer.Fit(texts, y, classes, options);
        var intents = labels.Length;
        var model = new IntentModel(scorer, labels, options.TopK, 1.0, options.OutOfScopeThreshold ?? 0.0, oosClass);

        var heldOut = new List<HeldOutScore>();
        if (options.CalibrationExamples is { Count: > 0 } dev)
        {
            heldOut.AddRange(model.ScoreAll(dev));
        }
        else if (options.CalibrationFolds > 1)
        {
            // Held-out out-of-scope rows are truth -1 for calibration, whichever column they trained.
            heldOut.AddRange(CrossValidatedScores(texts, y, classes, intents, options)
                .Select(h => h.Truth >= labels.Length ? h with { Truth = -1 } : h));
        }

        if (!oosClass)
        {
            // Out-of-scope training rows were never seen by the classifier: they are held out as they are.
            heldOut.AddRange(outOfScope.Select(e => HeldOut(scorer, e.Text, -1, intents)));
        }

        return heldOut.Count == 0 ? model : model.Calibrated(heldOut, options);
    }

    /// <summary>
    /// Returns a copy of this model whose temperature and out-of-scope threshold are chosen on
    /// <paramref name="devExamples"/> (labels of unknown intents count as out of scope). The classifier is shared.
    /// </summary>
    /// <param name="devExamples">Development data not used in training, ideally with some <see cref="OutOfScopeLabel"/> rows.</param>
    /// <param name="maxInScopeAccuracyLoss">See <see cref="IntentModelOptions.MaxInScopeAccuracyLoss"/>.</param>
    public IntentModel Calibrate(IReadOnlyList<TrainingExample> devExamples, double maxInScopeAccuracyLoss = 0.03)
    {
        ArgumentNullException.ThrowIfNull(devExamples);
        return Calibrated(ScoreAll(devExamples).ToList(), new IntentModelOptions { MaxInScopeAccuracyLoss = maxInScopeAccuracyLoss });
    }

    /// <summary>Returns a copy of this model with a fixed out-of-scope threshold (in [0, 1]).</summary>
    /// <param name="threshold">Confidence below which a prediction is out of scope.</param>
    public IntentModel WithOutOfScopeThreshold(double threshold) =>
        new(_scorer, _labels, _topK, Temperature, Math.Clamp(threshold, 0, 1), _hasOutOfScopeClass, OutOfScopeClassWeight, SimilarityThreshold);

    /// <summary>
    /// Classifies <paramref name="text"/>. Never throws: empty, huge (only the first
    /// <see cref="TextNormalizer.MaxInputLength"/> characters count) or junk input gives a low-confidence, out-of-scope answer.
    /// </summary>
    /// <param name="text">The visitor's message.</param>
    public IntentPrediction Predict(string? text)
    {
        if (_scorer is null)
        {
            return new IntentPrediction([], true, 0);
        }

        var intents = _labels.Length; // the out-of-scope column, if any, is never an intent
        var normalized = TextNormalizer.Normalize(text);
        var (scores, similarity) = SimilarityThreshold > 0 ? _scorer.Score(normalized, intents) : (_scorer.Score(normalized), 1f);
        var p = Calibration.Probabilities(scores, Temperature);
        var k = Math.Min(_topK, intents);
        var order = new int[intents];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Partial selection of the k best: k is small, the label count may be hundreds.
        for (var i = 0; i < k; i++)
        {
            var best = i;
            for (var j = i + 1; j < order.Length; j++)
            {
                if (p[order[j]] > p[order[best]])
                {
                    best = j;
                }
            }

            (order[i], order[best]) = (order[best], order[i]);
        }

        var top = new ScoredIntent[k];
        for (var i = 0; i < k; i++)
        {
            top[i] = new ScoredIntent(_labels[order[i]], p[order[i]]);
        }

        var confidence = top[0].Score;
        var rejected = confidence < OutOfScopeThreshold
            || Calibration.Decide(p, intents, OutOfScopeClassWeight, similarity, SimilarityThreshold).Confidence == 0;
        return new IntentPrediction(top, rejected, confidence);
    }

    /// <summary>
    /// How sure the model is of an intent at <paramref name="score"/>, in words people read. Scores are calibrated
    /// probabilities, so the bands mean what they say: high from 0.8 (right four times in five or more), medium
    /// from 0.5, low down to <see cref="OutOfScopeThreshold"/> (and never below chance, 1 / intents); below it the model would not claim the intent at all
    /// (<see cref="IntentConfidence.Unclear"/>), which is how a 0.2 guess among twenty articles reads.
    /// </summary>
    /// <param name="score">A score from <see cref="Predict"/> of this model.</param>
    public IntentConfidence Describe(double score) =>
        // Below the chance level (1 / intents) a score claims nothing, even when calibration let the learned
        // out-of-scope class, not the threshold, do the rejecting (the threshold can then be 0).
        _scorer is null || score < OutOfScopeThreshold || score <= 0 || score < 1.0 / Math.Max(1, _labels.Length) ? IntentConfidence.Unclear
        : score >= 0.8 ? IntentConfidence.High
        : score >= 0.5 ? IntentConfidence.Medium
        : IntentConfidence.Low;

    private static bool IsOutOfScope(string label) => string.Equals(label, OutOfScopeLabel, StringComparison.OrdinalIgnoreCase);

    private IEnumerable<HeldOutScore> ScoreAll(IReadOnlyList<TrainingExample> examples)
    {
        var index = _labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        foreach (var e in examples)
        {
            var text = TextNormalizer.Normalize(e.Text);
            yield return HeldOut(_scorer!, text, index.TryGetValue(e.Label, out var i) ? i : -1, _labels.Length);
        }
    }

    private IntentModel Calibrated(IReadOnlyList<HeldOutScore> heldOut, IntentModelOptions options)
    {
        var temperature = Calibration.FitTemperature(heldOut);
        var (threshold, weight, similarity) = Calibration.FitThreshold(heldOut, temperature, options.MaxInScopeAccuracyLoss, _labels.Length);
        return new IntentModel(_scorer, _labels, _topK, temperature, options.OutOfScopeThreshold ?? threshold, _hasOutOfScopeClass, weight, similarity);
    }

    private static HeldOutScore HeldOut(IntentScorer scorer, string normalizedText, int truth, int intents)
    {
        var (scores, similarity) = scorer.Score(normalizedText, intents);
        return new HeldOutScore(scores, truth, similarity);
    }

    /// <summary>
    /// Held-out predictions of an internal cross-validation. With <see cref="IntentModelOptions.HeldOutIntentShare"/>,
    /// each fold also leaves whole intents out of its training (a different slice of the intents in each fold); their
    /// held-out phrasings come back as out of scope (truth -1): questions the fold's model never saw anything like.
    /// </summary>
    private static List<HeldOutScore> CrossValidatedScores(List<string> texts, List<int> y, int classes, int intents, IntentModelOptions options)
    {
        var folds = Folds.Stratified(y, options.CalibrationFolds, options.Seed);
        var unseen = Folds.IntentSlices(intents, options.CalibrationFolds, options.HeldOutIntentShare, options.Seed);
        var result = new List<HeldOutScore>(texts.Count);
        for (var f = 0; f < options.CalibrationFolds; f++)
        {
            var hidden = unseen[f];
            var train = Enumerable.Range(0, texts.Count).Where(i => folds[i] != f && !hidden.Contains(y[i])).ToList();
            var test = Enumerable.Range(0, texts.Count).Where(i => folds[i] == f).ToList();
            if (train.Count == 0 || test.Count == 0)
            {
                continue;
            }

            var scorer = IntentScorer.Fit(train.Select(i => texts[i]).ToList(), train.Select(i => y[i]).ToList(), classes, options);
            result.AddRange(test.Select(i => HeldOut(scorer, texts[i], hidden.Contains(y[i]) ? -1 : y[i], intents)));
        }

        return result;
    }
}
