using System.Text;

namespace Kefu.Nlu;

/// <summary>
/// Canonical form of a visitor's text before any matching: full-width → half-width, lower case,
/// traditional → simplified Chinese, punctuation and control characters → spaces, whitespace collapsed.
/// </summary>
public sealed class TextNormalizer
{
    /// <summary>Only this many characters of an input are looked at: longer input is cut, never rejected.</summary>
    public const int MaxInputLength = 2000;

    private TextNormalizer()
    {
    }

    /// <summary>
    /// Returns the normalised form of <paramref name="text"/>: a string of letters, digits and CJK
    /// characters separated by single spaces. Never throws; <c>null</c> or junk gives an empty string.
    /// </summary>
    /// <param name="text">Any text, possibly huge, binary or hostile.</param>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var length = Math.Min(text.Length, MaxInputLength);
        var sb = new StringBuilder(length);
        var pendingSpace = false;
        for (var i = 0; i < length; i++)
        {
            var c = Fold(text[i]);
            if (c == '\'' || c == '\u2019')
            {
                // "don't" → "dont": an apostrophe inside a word must not split it in two.
                continue;
            }

            if (IsKept(c))
            {
                if (pendingSpace && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                pendingSpace = false;
                sb.Append(c);
            }
            else
            {
                pendingSpace = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>Full-width → half-width, lower case, traditional → simplified, for one character.</summary>
    internal static char Fold(char c)
    {
        if (c >= '\uFF01' && c <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0);
        }
        else if (c == '\u3000')
        {
            return ' ';
        }

        if (c < 128)
        {
            return c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }

        return TraditionalChinese.ToSimplified(char.ToLowerInvariant(c));
    }

    /// <summary>Letters, digits and CJK ideographs are kept; everything else separates tokens.</summary>
    internal static bool IsKept(char c) =>
        c < 128 ? char.IsAsciiLetterOrDigit(c) : !char.IsSurrogate(c) && char.IsLetterOrDigit(c);

    /// <summary>True for characters of scripts written without spaces (Han, kana, Hangul).</summary>
    internal static bool IsCjk(char c) =>
        (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\u3400' && c <= '\u4DBF') || (c >= '\uF900' && c <= '\uFAFF')
        || (c >= '\u3040' && c <= '\u30FF') || (c >= '\uAC00' && c <= '\uD7AF');
}
