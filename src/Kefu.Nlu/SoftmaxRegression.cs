using System.Numerics;

namespace Kefu.Nlu;

/// <summary>
/// Multinomial logistic regression over sparse vectors, trained with AdaGrad and lazy L2 decay
/// (only the rows of features present in an example are decayed, which keeps an epoch
/// proportional to the number of non-zeros). Weights are stored feature-major so that scoring a
/// query touches one contiguous row of <c>classes</c> floats per feature, vectorised.
/// Deterministic for a given seed. Immutable once trained.
/// </summary>
internal sealed class SoftmaxRegression
{
    private readonly float[] _weights; // [feature * classes + class]
    private readonly float[] _bias;

    private SoftmaxRegression(int classes, float[] weights, float[] bias)
    {
        Classes = classes;
        _weights = weights;
        _bias = bias;
    }

    public int Classes { get; }

    public static SoftmaxRegression Train(
        IReadOnlyList<SparseVector> x, IReadOnlyList<int> y, int features, int classes,
        int epochs, float learningRate, float l2, int seed)
    {
        var w = new float[(long)features * classes];
        var g2 = new float[w.Length];
        var bias = new float[classes];
        var biasG2 = new float[classes];
        var model = new SoftmaxRegression(classes, w, bias);
        var order = Enumerable.Range(0, x.Count).ToArray();
        var random = new Random(seed);
        var scores = new float[classes];
        var grad = new float[classes];
        const float eps = 1e-6f;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var i in order)
            {
                var v = x[i];
                model.Scores(v, scores);
                SoftmaxInPlace(scores);
                for (var c = 0; c < classes; c++)
                {
                    grad[c] = scores[c];
                }

                grad[y[i]] -= 1f;
                for (var c = 0; c < classes; c++)
                {
                    biasG2[c] += grad[c] * grad[c];
                    bias[c] -= learningRate * grad[c] / (MathF.Sqrt(biasG2[c]) + eps);
                }

                for (var k = 0; k < v.Count; k++)
                {
                    Update(w.AsSpan(v.Indices[k] * classes, classes), g2.AsSpan(v.Indices[k] * classes, classes), grad, v.Values[k], learningRate, l2);
                }
            }
        }

        return model;
    }

    /// <summary>Raw scores (logits) of <paramref name="v"/> for every class, written into <paramref name="scores"/>.</summary>
    public void Scores(SparseVector v, Span<float> scores)
    {
        _bias.CopyTo(scores);
        var classes = Classes;
        for (var k = 0; k < v.Count; k++)
        {
            Axpy(v.Values[k], _weights.AsSpan(v.Indices[k] * classes, classes), scores);
        }
    }

    public static void SoftmaxInPlace(Span<float> s)
    {
        var max = float.NegativeInfinity;
        foreach (var value in s)
        {
            max = Math.Max(max, value);
        }

        float sum = 0;
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = MathF.Exp(s[i] - max);
            sum += s[i];
        }

        for (var i = 0; i < s.Length; i++)
        {
            s[i] /= sum;
        }
    }

    /// <summary>y += a·x, vectorised.</summary>
    internal static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(y[i..]) + (va * new Vector<float>(x[i..]))).CopyTo(y[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    private static void Update(Span<float> w, Span<float> g2, ReadOnlySpan<float> grad, float x, float lr, float l2)
    {
        const float eps = 1e-6f;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vx = new Vector<float>(x);
            var vl2 = new Vector<float>(l2);
            var vlr = new Vector<float>(lr);
            var veps = new Vector<float>(eps);
            for (; i <= w.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var wv = new Vector<float>(w[i..]);
                var g = (vx * new Vector<float>(grad[i..])) + (vl2 * wv);
                var acc = new Vector<float>(g2[i..]) + (g * g);
                acc.CopyTo(g2[i..]);
                (wv - (vlr * g / (Vector.SquareRoot(acc) + veps))).CopyTo(w[i..]);
            }
        }

        for (; i < w.Length; i++)
        {
            var g = (x * grad[i]) + (l2 * w[i]);
            g2[i] += g * g;
            w[i] -= lr * g / (MathF.Sqrt(g2[i]) + eps);
        }
    }
}
