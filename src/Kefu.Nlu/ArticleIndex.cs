namespace Kefu.Nlu;

/// <summary>An article's id and searchable text (title, question and body, concatenated by the caller).</summary>
/// <param name="Id">Article id, returned by searches.</param>
/// <param name="Text">Text to index.</param>
public sealed record ArticleText(string Id, string Text);

/// <summary>A search hit: an article id and its BM25 score (higher is better, not bounded).</summary>
/// <param name="Id">Article id.</param>
/// <param name="Score">BM25 score, greater than 0.</param>
public sealed record ArticleHit(string Id, double Score);

/// <summary>
/// BM25 retrieval over article text, on the terms of <see cref="Tokenizer.Words"/> (stemmed words, CJK
/// characters and character bigrams), so the bot finds articles by their body as well as by trained phrasings.
/// Immutable and thread-safe once built.
/// </summary>
public sealed class ArticleIndex
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private readonly string[] _ids;
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly Dictionary<string, (int Doc, int Tf)[]> _postings;

    private ArticleIndex(string[] ids, int[] lengths, Dictionary<string, (int Doc, int Tf)[]> postings)
    {
        _ids = ids;
        _lengths = lengths;
        _postings = postings;
        _averageLength = lengths.Length == 0 ? 1 : Math.Max(1, lengths.Average());
    }

    /// <summary>Number of indexed articles.</summary>
    public int Count => _ids.Length;

    /// <summary>Indexes <paramref name="articles"/>; each text counts up to 20,000 characters (longer bodies are cut).</summary>
    /// <param name="articles">Articles to index.</param>
    public static ArticleIndex Build(IEnumerable<ArticleText> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var ids = new List<string>();
        var lengths = new List<int>();
        var postings = new Dictionary<string, List<(int, int)>>(StringComparer.Ordinal);
        foreach (var article in articles)
        {
            var doc = ids.Count;
            var terms = TermsOf(article.Text ?? string.Empty);
            ids.Add(article.Id);
            lengths.Add(terms.Count);
            foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!postings.TryGetValue(group.Key, out var list))
                {
                    postings[group.Key] = list = [];
                }

                list.Add((doc, group.Count()));
            }
        }

        return new ArticleIndex([.. ids], [.. lengths], postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>The <paramref name="k"/> best-matching articles for <paramref name="query"/>, best first; never throws.</summary>
    /// <param name="query">The visitor's question.</param>
    /// <param name="k">Maximum number of hits.</param>
    public IReadOnlyList<ArticleHit> Search(string? query, int k)
    {
        if (k <= 0 || _ids.Length == 0)
        {
            return [];
        }

        var scores = new double[_ids.Length];
        foreach (var term in Tokenizer.Default.Words(query).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var list))
            {
                continue;
            }

            // BM25+ style idf that stays positive for terms found in most articles.
            var idf = Math.Log(1 + ((_ids.Length - list.Length + 0.5) / (list.Length + 0.5)));
            foreach (var (doc, tf) in list)
            {
                var norm = K1 * (1 - B + (B * _lengths[doc] / _averageLength));
                scores[doc] += idf * tf * (K1 + 1) / (tf + norm);
            }
        }

        return scores.Select((s, i) => (Score: s, Index: i)).Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score).ThenBy(p => p.Index).Take(k)
            .Select(p => new ArticleHit(_ids[p.Index], p.Score)).ToList();
    }

    private static IReadOnlyList<string> TermsOf(string text)
    {
        // Article bodies may be long: index them in windows of the normaliser's input limit.
        var terms = new List<string>();
        var limit = Math.Min(text.Length, 20_000);
        for (var start = 0; start < limit; start += TextNormalizer.MaxInputLength)
        {
            terms.AddRange(Tokenizer.Default.Words(text.Substring(start, Math.Min(TextNormalizer.MaxInputLength, limit - start))));
        }

        return terms;
    }
}
