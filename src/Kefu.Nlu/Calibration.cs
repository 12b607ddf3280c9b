namespace Kefu.Nlu;

/// <summary>
/// A held-out prediction used for calibration: raw scores, the true class (-1 = out of scope) and the similarity to the
/// best intent's training phrasings (1 when the model keeps none).
/// </summary>
internal readonly record struct HeldOutScore(float[] Scores, int Truth, float Similarity = 1f);

/// <summary>Chooses the softmax temperature (by likelihood) and the out-of-scope threshold from held-out predictions.</summary>
internal static class Calibration
{
    public static double FitTemperature(IReadOnlyList<HeldOutScore> items)
    {
        var inScope = items.Where(i => i.Truth >= 0).ToList();
        if (inScope.Count == 0)
        {
            return 1.0;
        }

        var best = 1.0;
        var bestLoss = double.MaxValue;
        for (var t = 0.05; t <= 20; t *= 1.1)
        {
            double loss = 0;
            foreach (var item in inScope)
            {
                loss -= Math.Log(Math.Max(1e-12, Probabilities(item.Scores, t)[item.Truth]));
            }

            if (loss < bestLoss)
            {
                bestLoss = loss;
                best = t;
            }
        }

        return best;
    }

    /// <summary>
    /// Chooses the out-of-scope threshold and, for a model with a learned out-of-scope class, how much that class
    /// counts (an item is rejected when weight × p(out of scope) exceeds the best intent's probability; weight 0 ignores
    /// the class), and, for a model that measures similarity, the similarity below which an item is rejected. Every
    /// combination is tried with its best threshold, under the same in-scope accuracy budget. Similarity and class
    /// weight are only chosen with out-of-scope items to judge them by.
    /// </summary>
    public static (double Threshold, double ClassWeight, double SimilarityThreshold) FitThreshold(
        IReadOnlyList<HeldOutScore> items, double temperature, double maxInScopeLoss, int intents)
    {
        var probabilities = items.Select(i => (P: Probabilities(i.Scores, temperature), i.Truth, i.Similarity)).ToList();
        var hasOutOfScope = items.Any(i => i.Truth < 0);
        double[] weights = hasOutOfScope && probabilities.Count > 0 && probabilities[0].P.Length > intents ? [0, 0.25, 0.5, 0.75, 1, 1.5] : [0];
        var similarities = hasOutOfScope ? SimilarityCandidates(items) : [0.0];
        var best = (Threshold: 0.0, Weight: 0.0, Similarity: 0.0, Gain: double.MinValue);
        foreach (var similarity in similarities)
        {
            foreach (var weight in weights)
            {
                var (threshold, gain) = FitThresholdFor(probabilities, intents, weight, similarity, maxInScopeLoss);
                // Strictly better only: on a tie the simpler rule (lower similarity, lower weight), tried first, stays.
                if (gain > best.Gain + 1e-12)
                {
                    best = (threshold, weight, similarity, gain);
                }
            }
        }

        return (best.Threshold, best.Weight, best.Similarity);
    }

    /// <summary>
    /// The best intent's confidence, or 0 when the weighted out-of-scope class beats it or the similarity is below
    /// <paramref name="similarityThreshold"/> (rejected at any threshold).
    /// </summary>
    public static (int Top, double Confidence) Decide(double[] p, int intents, double classWeight, double similarity = 1, double similarityThreshold = 0)
    {
        var top = 0;
        for (var i = 1; i < intents; i++)
        {
            if (p[i] > p[top])
            {
                top = i;
            }
        }

        var rejected = (p.Length > intents && classWeight > 0 && classWeight * p[intents] > p[top]) || similarity < similarityThreshold;
        return (top, rejected ? 0 : p[top]);
    }

    /// <summary>Similarity thresholds worth trying: off, and the values that reject the least similar 0.5 %–20 % of in-scope items.</summary>
    private static List<double> SimilarityCandidates(IReadOnlyList<HeldOutScore> items)
    {
        var sims = items.Where(i => i.Truth >= 0).Select(i => (double)i.Similarity).Order().ToArray();
        var result = new List<double> { 0 };
        if (sims.Length == 0 || sims[^1] >= 1 && sims[0] >= 1)
        {
            return result;
        }

        foreach (var q in (double[])[0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2])
        {
            var value = sims[Math.Min(sims.Length - 1, (int)(q * sims.Length))];
            if (value > result[^1])
            {
                result.Add(value);
            }
        }

        return result;
    }

    private static (double Threshold, double Gain) FitThresholdFor(
        List<(double[] P, int Truth, float Similarity)> items, int intents, double classWeight, double similarityThreshold, double maxInScopeLoss)
    {
        // Items rejected whatever the threshold (by the class or by similarity) get confidence -1: below any threshold.
        var inScope = new List<(double Confidence, bool Correct)>();
        var outOfScope = new List<double>();
        foreach (var (p, truth, similarity) in items)
        {
            var (top, confidence) = Decide(p, intents, classWeight, similarity, similarityThreshold);
            var forced = confidence == 0 && (classWeight > 0 || similarity < similarityThreshold);
            confidence = forced ? -1 : confidence;
            if (truth < 0)
            {
                outOfScope.Add(confidence);
            }
            else
            {
                inScope.Add((confidence, top == truth));
            }
        }

        if (inScope.Count == 0)
        {
            return (0.5, double.MinValue);
        }

        // Walk thresholds upwards through the in-scope confidences: each step rejects one more in-scope item.
        inScope.Sort((a, b) => a.Confidence.CompareTo(b.Confidence));
        outOfScope.Sort();
        var budget = (int)Math.Floor(maxInScopeLoss * inScope.Count);
        var start = inScope.Count(i => i.Confidence < 0);
        var correctLost = inScope.Take(start).Count(i => i.Correct);
        var bestThreshold = 0.0;
        var bestGain = double.MinValue;
        for (var k = start; k <= inScope.Count; k++)
        {
            // Threshold just above item k-1: items 0..k-1 are rejected (never below 0, where forced items sit).
            var threshold = k == 0 ? 0.0 : k == inScope.Count ? inScope[k - 1].Confidence + 1e-9 : Math.Max(0, (inScope[k - 1].Confidence + inScope[k].Confidence) / 2);
            if (k > start && inScope[k - 1].Correct)
            {
                correctLost++;
            }

            if (correctLost > budget)
            {
                break;
            }

            // With out-of-scope examples, gain = share caught minus share of in-scope accuracy lost; without, take the whole budget.
            var gain = outOfScope.Count > 0
                ? (LowerCount(outOfScope, threshold) / (double)outOfScope.Count) - (correctLost / (double)inScope.Count)
                : k;
            if (gain > bestGain)
            {
                bestGain = gain;
                bestThreshold = threshold;
            }
        }

        return (bestThreshold, bestGain);
    }

    public static double[] Probabilities(ReadOnlySpan<float> scores, double temperature)
    {
        var p = new double[scores.Length];
        var max = double.NegativeInfinity;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        double sum = 0;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = Math.Exp((scores[i] - max) / temperature);
            sum += p[i];
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }

        return p;
    }

    public static int ArgMax(IReadOnlyList<double> p)
    {
        var best = 0;
        for (var i = 1; i < p.Count; i++)
        {
            if (p[i] > p[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int LowerCount(List<double> sorted, double threshold)
    {
        var index = sorted.BinarySearch(threshold);
        return index >= 0 ? index : ~index;
    }
}
