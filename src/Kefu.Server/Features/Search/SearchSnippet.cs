using System.Text;

namespace Kefu.Server.Features.Search;

/// <summary>One run of a snippet: plain text, or text that matched the query.</summary>
/// <param name="Text">The text, exactly as stored (never HTML: clients render it as text).</param>
/// <param name="Match">True when this run matched the query.</param>
public sealed record SnippetSpan(string Text, bool Match);

/// <summary>
/// The part of a stored text around the first match, split into spans so a client highlights matches by rendering
/// spans, never by inserting markup built from stored text.
/// </summary>
internal static class SearchSnippet
{
    /// <summary>Characters kept before the first match.</summary>
    private const int Lead = 40;

    /// <summary>Longest snippet, in UTF-16 units.</summary>
    public const int MaxLength = 160;

    public static IReadOnlyList<SnippetSpan> Build(string text, IReadOnlyList<SearchTokenizer.Segment> pieces)
    {
        var folded = FoldInPlace(text);
        var hits = new List<(int Start, int End)>();
        foreach (var piece in pieces)
        {
            for (var at = folded.IndexOf(piece.Text, StringComparison.Ordinal); at >= 0; at = folded.IndexOf(piece.Text, at + 1, StringComparison.Ordinal))
            {
                var end = at + piece.Text.Length;
                // A word matches whole words only, as the index does ("order" is not in "reorder").
                if (piece.Cjk || ((at == 0 || !WordChar(folded[at - 1])) && (end == folded.Length || !WordChar(folded[end]))))
                {
                    hits.Add((at, end));
                }
            }
        }

        hits.Sort();
        var start = hits.Count == 0 ? 0 : Math.Max(0, hits[0].Start - Lead);
        var stop = Math.Min(text.Length, start + MaxLength);
        start = Safe(text, start);
        stop = Safe(text, stop);
        var spans = new List<SnippetSpan>();
        if (start > 0)
        {
            spans.Add(new SnippetSpan("…", false));
        }

        var position = start;
        foreach (var (hitStart, hitEnd) in hits)
        {
            var s = Math.Max(hitStart, position);
            var e = Math.Min(hitEnd, stop);
            if (e <= s)
            {
                continue; // overlapping an earlier match, or past the window
            }

            if (s > position)
            {
                spans.Add(new SnippetSpan(text[position..s], false));
            }

            spans.Add(new SnippetSpan(text[s..e], true));
            position = e;
        }

        if (stop > position)
        {
            spans.Add(new SnippetSpan(text[position..stop], false));
        }

        if (stop < text.Length)
        {
            spans.Add(new SnippetSpan("…", false));
        }

        return spans;
    }

    /// <summary>The text folded one unit at a time, so positions stay those of the original.</summary>
    private static string FoldInPlace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var f = char.IsSurrogate(c) ? c.ToString() : c.ToString().Normalize(NormalizationForm.FormKC);
            builder.Append(f.Length == 1 ? char.ToLowerInvariant(f[0]) : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>A character that continues a Latin or digit word (CJK ends one: 鞋子abc想 holds the word abc).</summary>
    private static bool WordChar(char c) => char.IsLetterOrDigit(c) && !char.IsSurrogate(c) && !SearchTokenizer.IsCjk(new System.Text.Rune(c));

    /// <summary>Moves a cut off the middle of a surrogate pair.</summary>
    private static int Safe(string text, int index) => index > 0 && index < text.Length && char.IsLowSurrogate(text[index]) ? index - 1 : index;
}
