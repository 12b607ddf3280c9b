using System.Globalization;
using System.Text;

namespace Kefu.Server.Features.Search;

/// <summary>
/// Turns text into the words the search index stores, the same way on SQLite and PostgreSQL (ADR 0012): Chinese,
/// Japanese and Korean runs become overlapping pairs of characters (退款了 → 退款 款了), as Lucene's CJKAnalyzer does,
/// so a two-character word is found in the middle of a sentence without a dictionary; a run of one character stays
/// one word. Other letters and digits become lower-case words. Full-width forms are folded (ＲＥＦＵＮＤ → refund,
/// １２３ → 123) before anything else. Everything else separates words.
/// </summary>
internal static class SearchTokenizer
{
    /// <summary>Longest word kept; longer runs are cut (a pasted hash or token is not worth a larger index).</summary>
    public const int MaxWordLength = 40;

    /// <summary>The index words of <paramref name="text"/>, in order.</summary>
    public static List<string> Tokenize(string? text)
    {
        var words = new List<string>();
        foreach (var segment in Segments(text))
        {
            AddWords(segment, words);
        }

        return words;
    }

    /// <summary>
    /// The contiguous pieces of <paramref name="text"/> that carry words (a CJK run or a Latin/digit word), normalised
    /// (folded, lower-case): a query's pieces are the phrases to look for and to highlight.
    /// </summary>
    public static List<Segment> Segments(string? text)
    {
        var segments = new List<Segment>();
        if (string.IsNullOrEmpty(text))
        {
            return segments;
        }

        var current = new StringBuilder();
        var currentCjk = false;
        void Flush()
        {
            if (current.Length > 0)
            {
                segments.Add(new Segment(current.ToString(), currentCjk));
                current.Clear();
            }
        }

        foreach (var rune in Fold(text).EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                if (!currentCjk)
                {
                    Flush();
                }

                currentCjk = true;
                current.Append(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune) || (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark && current.Length > 0 && !currentCjk))
            {
                if (currentCjk)
                {
                    Flush();
                }

                currentCjk = false;
                current.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else
            {
                Flush();
                currentCjk = false;
            }
        }

        Flush();
        return segments;
    }

    /// <summary>The index words of one segment.</summary>
    public static void AddWords(Segment segment, List<string> words)
    {
        if (!segment.Cjk)
        {
            words.Add(segment.Text.Length <= MaxWordLength ? segment.Text : segment.Text[..MaxWordLength]);
            return;
        }

        var runes = segment.Text.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length == 1)
        {
            words.Add(runes[0]);
            return;
        }

        for (var i = 0; i + 1 < runes.Length; i++)
        {
            words.Add(runes[i] + runes[i + 1]);
        }
    }

    /// <summary>Compatibility folding: full-width Latin and digits, half-width katakana, ligatures, circled numbers.</summary>
    public static string Fold(string text) => text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);

    /// <summary>Han (with extensions and compatibility ideographs), kana and Hangul: scripts written without spaces.</summary>
    public static bool IsCjk(Rune rune)
    {
        var v = rune.Value;
        return v is >= 0x3400 and <= 0x4DBF // extension A
            or >= 0x4E00 and <= 0x9FFF // unified ideographs
            or >= 0xF900 and <= 0xFAFF // compatibility ideographs
            or >= 0x20000 and <= 0x3FFFF // extensions B and later
            or >= 0x3040 and <= 0x30FF // hiragana, katakana
            or >= 0x31F0 and <= 0x31FF
            or >= 0xAC00 and <= 0xD7AF // hangul syllables
            or >= 0x1100 and <= 0x11FF
            or 0x3005 or 0x3007; // 々 〇
    }

    /// <summary>A contiguous piece of folded text: one CJK run or one word.</summary>
    /// <param name="Text">The folded, lower-case text.</param>
    /// <param name="Cjk">True for a CJK run.</param>
    public readonly record struct Segment(string Text, bool Cjk);
}
