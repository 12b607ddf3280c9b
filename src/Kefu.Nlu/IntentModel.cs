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

    private readonly IntentScorer? _scorer;
    private readonly string[] _labels;
    private readonly int _topK;

    private IntentModel(IntentScorer? scorer, string[] labels, int topK, double temperature, double threshold)
    {
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
        var texts = inScope.Select(e => e.Text).ToList();
        var y = inScope.Select(e => index[e.Label]).ToList();
        var scorer = IntentScorer.Fit(texts, y, labels.Length, options);
        var model = new IntentModel(scorer, labels, options.TopK, 1.0, options.OutOfScopeThreshold ?? 0.0);

        var heldOut = new List<HeldOutScore>();
        if (options.CalibrationExamples is { Count: > 0 } dev)
        {
            heldOut.AddRange(model.ScoreAll(dev));
        }
        else if (options.CalibrationFolds > 1)
        {
            heldOut.AddRange(CrossValidatedScores(texts, y, labels.Length, options));
        }

        // Out-of-scope training rows were never seen by the classifier: they are held out as they are.
        heldOut.AddRange(normalized.Where(e => IsOutOfScope(e.Label)).Select(e => new HeldOutScore(scorer.Score(e.Text), -1)));
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
        new(_scorer, _labels, _topK, Temperature, Math.Clamp(threshold, 0, 1));

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

        var p = Calibration.Probabilities(_scorer.Score(TextNormalizer.Normalize(text)), Temperature);
        var k = Math.Min(_topK, p.Length);
        var order = new int[p.Length];
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
        return new IntentPrediction(top, confidence < OutOfScopeThreshold, confidence);
    }

    private static bool IsOutOfScope(string label) => string.Equals(label, OutOfScopeLabel, StringComparison.OrdinalIgnoreCase);

    private IEnumerable<HeldOutScore> ScoreAll(IReadOnlyList<TrainingExample> examples)
    {
        var index = _labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        foreach (var e in examples)
        {
            var text = TextNormalizer.Normalize(e.Text);
            yield return new HeldOutScore(_scorer!.Score(text), index.TryGetValue(e.Label, out var i) ? i : -1);
        }
    }

    private IntentModel Calibrated(IReadOnlyList<HeldOutScore> heldOut, IntentModelOptions options)
    {
        var temperature = Calibration.FitTemperature(heldOut);
        var threshold = options.OutOfScopeThreshold ?? Calibration.FitThreshold(heldOut, temperature, options.MaxInScopeAccuracyLoss);
        return new IntentModel(_scorer, _labels, _topK, temperature, threshold);
    }

    private static List<HeldOutScore> CrossValidatedScores(List<string> texts, List<int> y, int classes, IntentModelOptions options)
    {
        var folds = Folds.Stratified(y, options.CalibrationFolds, options.Seed);
        var result = new List<HeldOutScore>(texts.Count);
        for (var f = 0; f < options.CalibrationFolds; f++)
        {
            var train = Enumerable.Range(0, texts.Count).Where(i => folds[i] != f).ToList();
            var test = Enumerable.Range(0, texts.Count).Where(i => folds[i] == f).ToList();
            if (train.Count == 0 || test.Count == 0)
            {
                continue;
            }

            var scorer = IntentScorer.Fit(train.Select(i => texts[i]).ToList(), train.Select(i => y[i]).ToList(), classes, options);
            result.AddRange(test.Select(i => new HeldOutScore(scorer.Score(texts[i]), y[i])));
        }

        return result;
    }
}
