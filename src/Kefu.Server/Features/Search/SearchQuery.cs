namespace Kefu.Server.Features.Search;

/// <summary>
/// A user's search text as index queries. Each piece of the text (a CJK run or a word) must match, as a phrase of
/// its index words in order: 退款发货 is the phrase 退款 款发 发货, so it matches those four characters together, not
/// 退款 in one message and 发货 in another. A lone CJK character matches as a prefix of the stored pairs, so 退
/// finds 退款 (but not a 退 that ends a run: the pair starts with the character before it).
/// </summary>
/// <remarks>
/// The words hold letters and digits only (<see cref="SearchTokenizer"/>), so nothing the user typed reaches either
/// query language as syntax: quotes, <c>OR</c>, <c>NEAR</c>, <c>:*</c> or <c>&amp;</c> are separators, never operators.
/// </remarks>
internal sealed class SearchQuery
{
    /// <summary>Longest search text accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>Most pieces used; a longer text is refused rather than turned into a very wide query.</summary>
    public const int MaxPieces = 12;

    private SearchQuery(IReadOnlyList<SearchTokenizer.Segment> pieces) => Pieces = pieces;

    /// <summary>The pieces, folded and lower-case: what must match and what is highlighted.</summary>
    public IReadOnlyList<SearchTokenizer.Segment> Pieces { get; }

    /// <summary>The query, or null when <paramref name="text"/> holds nothing searchable.</summary>
    public static SearchQuery? Parse(string text)
    {
        var pieces = SearchTokenizer.Segments(text).Distinct().Take(MaxPieces).ToList();
        return pieces.Count == 0 ? null : new SearchQuery(pieces);
    }

    /// <summary>An FTS5 MATCH expression: quoted phrases joined by AND.</summary>
    public string ToSqlite() => string.Join(" AND ", Pieces.Select(p => IsPrefix(p) ? $"\"{p.Text}\" *" : $"\"{string.Join(' ', Words(p))}\""));

    /// <summary>A PostgreSQL <c>to_tsquery('simple', …)</c> text: phrases (<c>&lt;-&gt;</c>) joined by <c>&amp;</c>.</summary>
    public string ToPostgres() => string.Join(" & ", Pieces.Select(p => IsPrefix(p) ? $"{p.Text}:*" : "(" + string.Join(" <-> ", Words(p)) + ")"));

    private static bool IsPrefix(SearchTokenizer.Segment piece) => piece.Cjk && piece.Text.EnumerateRunes().Count() == 1;

    private static List<string> Words(SearchTokenizer.Segment piece)
    {
        var words = new List<string>();
        SearchTokenizer.AddWords(piece, words);
        return words;
    }
}
