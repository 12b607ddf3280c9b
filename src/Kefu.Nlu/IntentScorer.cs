namespace Kefu.Nlu;

/// <summary>The trained part of an intent model: features and classifier, producing raw per-class scores.</summary>
internal sealed class IntentScorer
{
    private readonly Vocabulary _vocabulary;
    private readonly SoftmaxRegression _classifier;

    private IntentScorer(Vocabulary vocabulary, SoftmaxRegression classifier)
    {
        _vocabulary = vocabulary;
        _classifier = classifier;
    }

    public int Classes => _classifier.Classes;

    public static IntentScorer Fit(IReadOnlyList<string> normalizedTexts, IReadOnlyList<int> labels, int classes, IntentModelOptions options)
    {
        var tokenizer = new Tokenizer(2, options.MaxCharGram);
        // Features seen once only add noise and memory on large sets, but are all there is on small ones.
        var minDf = normalizedTexts.Count >= 1000 ? 2 : 1;
        var vocabulary = Vocabulary.Build(normalizedTexts, tokenizer, minDf, options.CharGramWeight);
        var vectors = normalizedTexts.Select(vocabulary.Vectorize).ToArray();
        var classifier = SoftmaxRegression.Train(
            vectors, labels, vocabulary.Count, classes, options.Epochs, options.LearningRate, options.L2, options.Seed);
        return new IntentScorer(vocabulary, classifier);
    }

    /// <summary>Raw class scores (logits) of a normalised text.</summary>
    public float[] Score(string normalizedText)
    {
        var scores = new float[Classes];
        _classifier.Scores(_vocabulary.Vectorize(normalizedText), scores);
        return scores;
    }
}
