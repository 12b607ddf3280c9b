using System.Text;

namespace Kefu.Server.Hosting;

/// <summary>
/// The one cleaner for text people type that Kefu stores and shows again: names, titles, file names,
/// notes, article fields. Control characters (NUL, CR/LF in a name, ESC …) break headers, logs, CSV
/// exports and terminals; bidirectional overrides and isolates (U+202E …) make <c>invoice‮fdp.exe</c>
/// read as <c>invoiceexe.pdf</c>; lone surrogates are not valid UTF-8 and fail on PostgreSQL.
/// Everything else, including zero-width joiners used by emoji, is kept.
/// </summary>
internal static class SafeText
{
    /// <summary>A one-line value: unsafe characters removed, line breaks and tabs become spaces, trimmed.</summary>
    public static string SingleLine(string? text) => Clean(text, multiLine: false);

    /// <summary>A body: line endings become <c>\n</c>, tabs kept, every other unsafe character removed, trimmed.</summary>
    public static string MultiLine(string? text) => Clean(text, multiLine: true);

    /// <summary>True when <paramref name="text"/> has nothing <see cref="SingleLine"/> would change inside it (surrounding spaces aside).</summary>
    public static bool IsSingleLine(string? text) => text is null || SingleLine(text) == text.Trim();

    /// <summary>Bidirectional embedding, override and isolate controls, and the marks that steer them.</summary>
    public static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string Clean(string? text, bool multiLine)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c is '\r' or '\n' or '\u2028' or '\u2029' or '\u0085')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                builder.Append(multiLine ? '\n' : ' ');
            }
            else if (c == '\t')
            {
                builder.Append(multiLine ? '\t' : ' ');
            }
            else if (!char.IsControl(c) && !char.IsSurrogate(c) && !IsBidiControl(c) && c != '\uFEFF')
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }
}
