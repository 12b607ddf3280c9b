namespace Kefu.Nlu;

/// <summary>
/// The trained part of an intent model: features and classifier, producing raw per-class scores, and optionally
/// each class's centroid to measure how close a question is to what a class has seen.
/// </summary>
internal sealed class IntentScorer
{
    private readonly Vocabulary _vocabulary;
    private readonly SoftmaxRegression _classifier;
    private readonly IntentSimilarity _similarity;

    // Per class: the L2-normalised mean of its training vectors (Centroid); empty for None. A list so that other
    // references (nearest phrasings were tried: see docs/nlu.md) fit without changing the scoring.
    private readonly SparseVector[][] _references;

    private IntentScorer(Vocabulary vocabulary, SoftmaxRegression classifier, IntentSimilarity similarity, SparseVector[][] references)
    {
        _vocabulary = vocabulary;
        _classifier = classifier;
        _similarity = similarity;
        _references = references;
    }

    public int Classes => _classifier.Classes;

    /// <summary>True when <see cref="Score(string, int)"/> measures a similarity.</summary>
    public bool HasSimilarity => _similarity != IntentSimilarity.None;

    public static IntentScorer Fit(IReadOnlyList<string> normalizedTexts, IReadOnlyList<int> labels, int classes, IntentModelOptions options)
    {
        var tokenizer = new Tokenizer(2, options.MaxCharGram, options.ChineseWordGrams);
        // Features seen once only add noise and memory on large sets, but are all there is on small ones.
        var minDf = normalizedTexts.Count >= 1000 ? 2 : 1;
        var vocabulary = Vocabulary.Build(normalizedTexts, tokenizer, minDf, options.CharGramWeight);
        var vectors = normalizedTexts.Select(vocabulary.Vectorize).ToArray();
        var classifier = SoftmaxRegression.Train(
            vectors, labels, vocabulary.Count, classes, options.Epochs, options.LearningRate, options.L2, options.Seed);
        var references = new SparseVector[classes][];
        for (var c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, vectors.Length).Where(i => labels[i] == c && vectors[i].Count > 0).Select(i => vectors[i]).ToArray();
            references[c] = options.Similarity switch
            {
                IntentSimilarity.Centroid => [Centroid(members)],
                _ => [],
            };
        }

        return new IntentScorer(vocabulary, classifier, options.Similarity, references);
    }

    /// <summary>
    /// Raw class scores (logits) of a normalised text, and its similarity to the best of the first
    /// <paramref name="intents"/> classes (1 when no similarity is kept: it then never rejects anything).
    /// </summary>
    public (float[] Scores, float Similarity) Score(string normalizedText, int intents)
    {
        var scores = new float[Classes];
        var vector = _vocabulary.Vectorize(normalizedText);
        _classifier.Scores(vector, scores);
        if (!HasSimilarity)
        {
            return (scores, 1f);
        }

        var top = 0;
        for (var c = 1; c < Math.Min(intents, scores.Length); c++)
        {
            if (scores[c] > scores[top])
            {
                top = c;
            }
        }

        var best = 0f;
        foreach (var reference in _references[top])
        {
            best = Math.Max(best, vector.Dot(reference));
        }

        return (scores, best);
    }

    /// <summary>Raw class scores (logits) of a normalised text.</summary>
    public float[] Score(string normalizedText)
    {
        var scores = new float[Classes];
        _classifier.Scores(_vocabulary.Vectorize(normalizedText), scores);
        return scores;
    }

    private static SparseVector Centroid(SparseVector[] members)
    {
        var sum = new SortedDictionary<int, float>();
        foreach (var v in members)
        {
            for (var k = 0; k < v.Count; k++)
            {
                sum[v.Indices[k]] = sum.GetValueOrDefault(v.Indices[k]) + v.Values[k];
            }
        }

        var norm = MathF.Sqrt(sum.Values.Sum(x => x * x));
        return norm == 0 ? SparseVector.Empty : new SparseVector([.. sum.Keys], [.. sum.Values.Select(x => x / norm)]);
    }
}
