namespace Kefu.Nlu;

/// <summary>
/// Feature dictionary with inverse document frequencies, built once from the training texts and
/// read-only afterwards. Features are 64-bit hashes of the feature strings, so vectorising a query
/// allocates no strings; features unseen in training are ignored.
/// </summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<ulong, int> _ids;
    private readonly float[] _idf;
    private readonly FeatureGroup[] _groups;
    private readonly float[] _groupWeights;
    private readonly Tokenizer _tokenizer;

    private Vocabulary(Tokenizer tokenizer, Dictionary<ulong, int> ids, float[] idf, FeatureGroup[] groups, float[] groupWeights)
    {
        _tokenizer = tokenizer;
        _ids = ids;
        _idf = idf;
        _groups = groups;
        _groupWeights = groupWeights;
    }

    public int Count => _idf.Length;

    /// <summary>Builds the dictionary from normalised texts, keeping features seen in at least <paramref name="minDocumentFrequency"/> texts.</summary>
    public static Vocabulary Build(IReadOnlyList<string> normalizedTexts, Tokenizer tokenizer, int minDocumentFrequency, float charGroupWeight)
    {
        var df = new Dictionary<ulong, (int Count, FeatureGroup Group)>();
        var sink = new HashSink();
        foreach (var text in normalizedTexts)
        {
            sink.Clear();
            tokenizer.Extract(text, sink);
            foreach (var (hash, entry) in sink.Counts)
            {
                df[hash] = df.TryGetValue(hash, out var e) ? (e.Count + 1, e.Group) : (1, entry.Group);
            }
        }

        // Ids are given in hash order so that a vocabulary is identical from run to run.
        var kept = df.Where(kv => kv.Value.Count >= minDocumentFrequency).OrderBy(kv => kv.Key).ToList();
        var ids = new Dictionary<ulong, int>(kept.Count);
        var idf = new float[kept.Count];
        var groups = new FeatureGroup[kept.Count];
        var n = normalizedTexts.Count;
        for (var i = 0; i < kept.Count; i++)
        {
            ids[kept[i].Key] = i;
            idf[i] = (float)(Math.Log((1.0 + n) / (1.0 + kept[i].Value.Count)) + 1.0);
            groups[i] = kept[i].Value.Group;
        }

        return new Vocabulary(tokenizer, ids, idf, groups, [1f, charGroupWeight]);
    }

    /// <summary>TF-IDF vector (sublinear tf) of a normalised text: each feature group L2-normalised and weighted, then the whole vector L2-normalised.</summary>
    public SparseVector Vectorize(string normalizedText)
    {
        var sink = new HashSink();
        _tokenizer.Extract(normalizedText, sink);
        var pairs = new List<(int Id, float Value)>(sink.Counts.Count);
        Span<double> groupNorm = stackalloc double[2];
        foreach (var (hash, entry) in sink.Counts)
        {
            if (_ids.TryGetValue(hash, out var id))
            {
                var v = (float)((1.0 + Math.Log(entry.Count)) * _idf[id]);
                pairs.Add((id, v));
                groupNorm[(int)_groups[id]] += v * v;
            }
        }

        if (pairs.Count == 0)
        {
            return SparseVector.Empty;
        }

        pairs.Sort((a, b) => a.Id.CompareTo(b.Id));
        Span<float> scale = stackalloc float[2];
        double total = 0;
        for (var g = 0; g < 2; g++)
        {
            scale[g] = groupNorm[g] > 0 ? (float)(_groupWeights[g] / Math.Sqrt(groupNorm[g])) : 0f;
            total += groupNorm[g] > 0 ? _groupWeights[g] * _groupWeights[g] : 0;
        }

        var final = total > 0 ? (float)(1.0 / Math.Sqrt(total)) : 0f;
        var indices = new int[pairs.Count];
        var values = new float[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            indices[i] = pairs[i].Id;
            values[i] = pairs[i].Value * scale[(int)_groups[pairs[i].Id]] * final;
        }

        return new SparseVector(indices, values);
    }

    /// <summary>Counts features by 64-bit FNV-1a hash.</summary>
    private sealed class HashSink : IFeatureSink
    {
        public Dictionary<ulong, (int Count, FeatureGroup Group)> Counts { get; } = [];

        public bool WordsOnly => false;

        public void Clear() => Counts.Clear();

        public void Add(ReadOnlySpan<char> feature, FeatureGroup group)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in feature)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            Counts[hash] = Counts.TryGetValue(hash, out var e) ? (e.Count + 1, group) : (1, group);
        }
    }
}
