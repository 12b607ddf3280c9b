namespace Kefu.Nlu;

/// <summary>A held-out prediction used for calibration: raw scores and the true class (-1 = out of scope).</summary>
internal readonly record struct HeldOutScore(float[] Scores, int Truth);

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
    /// the class). Every weight is tried with its best threshold, under the same in-scope accuracy budget.
    /// </summary>
    public static (double Threshold, double ClassWeight) FitThreshold(IReadOnlyList<HeldOutScore> items, double temperature, double maxInScopeLoss, int intents)
    {
        var probabilities = items.Select(i => (P: Probabilities(i.Scores, temperature), i.Truth)).ToList();
        double[] weights = probabilities.Count > 0 && probabilities[0].P.Length > intents ? [0, 0.25, 0.5, 0.75, 1, 1.5] : [0];
        var best = (Threshold: 0.0, Weight: 0.0, Gain: double.MinValue);
        foreach (var weight in weights)
        {
            var (threshold, gain) = FitThresholdFor(probabilities, intents, weight, maxInScopeLoss);
            if (gain > best.Gain)
            {
                best = (threshold, weight, gain);
            }
        }

        return (best.Threshold, best.Weight);
    }

    /// <summary>The best intent's confidence, or 0 when the weighted out-of-scope class beats it (rejected at any threshold).</summary>
    public static (int Top, double Confidence) Decide(double[] p, int intents, double classWeight)
    {
        var top = 0;
        for (var i = 1; i < intents; i++)
        {
            if (p[i] > p[top])
            {
                top = i;
            }
        }

        return (top, p.Length > intents && classWeight > 0 && classWeight * p[intents] > p[top] ? 0 : p[top]);
    }

    private static (double Threshold, double Gain) FitThresholdFor(List<(double[] P, int Truth)> items, int intents, double classWeight, double maxInScopeLoss)
    {
        var inScope = new List<(double Confidence, bool Correct)>();
        var outOfScope = new List<double>();
        foreach (var (p, truth) in items)
        {
            var (top, confidence) = Decide(p, intents, classWeight);
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
        var correctLost = 0;
        var bestThreshold = 0.0;
        var bestGain = double.MinValue;
        for (var k = 0; k <= inScope.Count; k++)
        {
            // Threshold just above item k-1: items 0..k-1 are rejected.
            var threshold = k == 0 ? 0.0 : k == inScope.Count ? inScope[k - 1].Confidence + 1e-9 : (inScope[k - 1].Confidence + inScope[k].Confidence) / 2;
            if (k > 0 && inScope[k - 1].Correct)
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
