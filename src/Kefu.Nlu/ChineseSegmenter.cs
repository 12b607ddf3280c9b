using System.Collections.Frozen;

namespace Kefu.Nlu;

/// <summary>
/// Splits runs of Chinese characters into words: the most probable split under a unigram model whose word
/// probabilities follow the rank of each word in an embedded list of about 30,000 frequent words (Zipf's law),
/// found by dynamic programming over the run. Characters of no listed word stay single. Simplified characters
/// only: the input is normalised first (<see cref="TextNormalizer"/> folds traditional characters).
/// The word list and how it was made: <c>Data/chinese-words.txt</c>, <c>Data/make-word-list.py</c>.
/// </summary>
public static class ChineseSegmenter
{
    /// <summary>Longest word in the list, in characters.</summary>
    internal const int MaxWordLength = 4;

    // Log-probability of a listed word by rank r: ln(1 / (r + RankOffset)), up to a constant. A character that
    // starts no listed word costs as much as a word ranked 2·N, so any listed two-character word beats two singles.
    private const double RankOffset = 10;

    private static readonly Lazy<WordCosts> Words = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The words of the Chinese runs of <paramref name="text"/>, in order; other scripts are skipped.</summary>
    /// <param name="text">Raw text; it is normalised here.</param>
    public static IReadOnlyList<string> Segment(string? text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var result = new List<string>();
        Span<int> ends = stackalloc int[64];
        var i = 0;
        while (i < normalized.Length)
        {
            if (!TextNormalizer.IsCjk(normalized[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < normalized.Length && TextNormalizer.IsCjk(normalized[i]))
            {
                i++;
            }

            // Long runs are cut into pieces of at most 64 characters: a word boundary there costs little.
            for (var s = start; s < i; s += ends.Length)
            {
                var run = normalized.AsSpan(s, Math.Min(ends.Length, i - s));
                var count = Split(run, ends);
                var from = 0;
                for (var k = 0; k < count; k++)
                {
                    result.Add(new string(run[from..ends[k]]));
                    from = ends[k];
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Splits a run of CJK characters (already normalised) into words, writing the end offset of each word to
    /// <paramref name="ends"/> (which must be at least as long as the run). Returns the number of words.
    /// </summary>
    internal static int Split(ReadOnlySpan<char> run, Span<int> ends)
    {
        var n = run.Length;
        if (n == 0)
        {
            return 0;
        }

        var words = Words.Value;
        Span<double> best = stackalloc double[n + 1];
        Span<int> from = stackalloc int[n + 1];
        best[0] = 0;
        for (var e = 1; e <= n; e++)
        {
            // A single character is always possible; listed words of 2..4 characters ending here may do better.
            best[e] = best[e - 1] + words.SingleCost;
            from[e] = e - 1;
            for (var len = 2; len <= MaxWordLength && len <= e; len++)
            {
                if (words.Cost(run.Slice(e - len, len)) is { } cost && best[e - len] + cost > best[e])
                {
                    best[e] = best[e - len] + cost;
                    from[e] = e - len;
                }
            }
        }

        // Walk back from the end, then reverse into order.
        var count = 0;
        for (var e = n; e > 0; e = from[e])
        {
            ends[count++] = e;
        }

        ends[..count].Reverse();
        return count;
    }

    private static WordCosts Load()
    {
        using var stream = typeof(ChineseSegmenter).Assembly.GetManifestResourceStream("Kefu.Nlu.Data.chinese-words.txt")
            ?? throw new InvalidOperationException("The Chinese word list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length is < 2 or > MaxWordLength || line[0] == '#')
            {
                continue;
            }

            rank++;
            costs.TryAdd(line, -Math.Log(rank + RankOffset));
        }

        return new WordCosts(costs.ToFrozenDictionary(StringComparer.Ordinal), -Math.Log((2.0 * rank) + RankOffset));
    }

    private sealed class WordCosts(FrozenDictionary<string, double> costs, double singleCost)
    {
        private readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> _lookup = costs.GetAlternateLookup<ReadOnlySpan<char>>();

        public double SingleCost => singleCost;

        public double? Cost(ReadOnlySpan<char> word) => _lookup.TryGetValue(word, out var cost) ? cost : null;
    }
}
