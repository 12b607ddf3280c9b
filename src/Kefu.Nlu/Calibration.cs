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

    public static double FitThreshold(IReadOnlyList<HeldOutScore> items, double temperature, double maxInScopeLoss)
    {
        var inScope = new List<(double Confidence, bool Correct)>();
        var outOfScope = new List<double>();
        foreach (var item in items)
        {
            var p = Probabilities(item.Scores, temperature);
            var top = ArgMax(p);
            if (item.Truth < 0)
            {
                outOfScope.Add(p[top]);
            }
            else
            {
                inScope.Add((p[top], top == item.Truth));
            }
        }

        if (inScope.Count == 0)
        {
            return 0.5;
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

        return bestThreshold;
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
