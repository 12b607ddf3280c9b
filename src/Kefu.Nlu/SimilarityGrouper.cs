namespace Kefu.Nlu;

/// <summary>A group of similar texts: indices into the input list, and the most central member.</summary>
/// <param name="Members">Indices of the grouped texts in the input, ascending.</param>
/// <param name="Representative">Index of the member closest to the group's centroid (a good label for the group).</param>
public sealed record TextGroup(IReadOnlyList<int> Members, int Representative);

/// <summary>
/// Groups short texts (typically questions the bot could not answer) by cosine similarity of their
/// TF-IDF vectors over <see cref="Tokenizer"/> features. Greedy centroid clustering in input order:
/// deterministic, O(texts × groups), fine for a few thousand texts.
/// </summary>
public static class SimilarityGrouper
{
    /// <summary>Default minimum cosine similarity between a text and a group's centroid.</summary>
    public const double DefaultThreshold = 0.25;

    /// <summary>
    /// Groups <paramref name="texts"/>; every text is in exactly one group (possibly alone). Groups are ordered by
    /// size, largest first, then by their first member. Blank texts form single-member groups.
    /// </summary>
    /// <param name="texts">The texts.</param>
    /// <param name="threshold">Minimum cosine similarity in (0, 1] to join a group.</param>
    public static IReadOnlyList<TextGroup> Group(IReadOnlyList<string> texts, double threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var normalized = texts.Select(t => TextNormalizer.Normalize(t)).ToList();
        var vocabulary = Vocabulary.Build(normalized, Tokenizer.Default, 1, 1f);
        var vectors = normalized.Select(vocabulary.Vectorize).ToArray();
        var groups = new List<(List<int> Members, Dictionary<int, float> Sum)>();
        for (var i = 0; i < vectors.Length; i++)
        {
            var best = -1;
            var bestSimilarity = threshold;
            for (var g = 0; g < groups.Count && vectors[i].Count > 0; g++)
            {
                var similarity = Cosine(vectors[i], groups[g].Sum);
                if (similarity >= bestSimilarity)
                {
                    best = g;
                    bestSimilarity = similarity;
                }
            }

            if (best < 0)
            {
                groups.Add(([], []));
                best = groups.Count - 1;
            }

            groups[best].Members.Add(i);
            for (var k = 0; k < vectors[i].Count; k++)
            {
                groups[best].Sum[vectors[i].Indices[k]] = groups[best].Sum.GetValueOrDefault(vectors[i].Indices[k]) + vectors[i].Values[k];
            }
        }

        return groups
            .Select(g => new TextGroup(g.Members, g.Members.OrderByDescending(m => Cosine(vectors[m], g.Sum)).ThenBy(m => m).First()))
            .OrderByDescending(g => g.Members.Count).ThenBy(g => g.Members[0])
            .ToList();
    }

    private static double Cosine(SparseVector v, Dictionary<int, float> centroid)
    {
        double dot = 0, norm = 0;
        foreach (var value in centroid.Values)
        {
            norm += value * value;
        }

        for (var k = 0; k < v.Count; k++)
        {
            dot += v.Values[k] * centroid.GetValueOrDefault(v.Indices[k]);
        }

        // v is unit length already.
        return norm > 0 ? dot / Math.Sqrt(norm) : 0;
    }
}
