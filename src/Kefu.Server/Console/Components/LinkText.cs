using System.Text.RegularExpressions;

namespace Kefu.Server.Console.Components;

/// <summary>
/// Splits message text into plain runs and links (only http, https and mailto are links), and bot or agent text
/// into bold runs (<c>**…**</c>, the one mark knowledge answers keep). The parts are rendered as text: nothing is HTML.
/// </summary>
internal static partial class LinkText
{
    public readonly record struct Part(string Value, bool IsLink);

    /// <summary>Bold runs and the text between them; the marks themselves are dropped. The widget uses the same pattern.</summary>
    public static IEnumerable<(string Text, bool IsBold)> SplitBold(string text)
    {
        var last = 0;
        foreach (Match match in BoldPattern().Matches(text))
        {
            if (match.Index > last)
            {
                yield return (text[last..match.Index], false);
            }

            yield return (match.Groups[1].Value, true);
            last = match.Index + match.Length;
        }

        if (last < text.Length)
        {
            yield return (text[last..], false);
        }
    }

    public static IEnumerable<Part> Split(string text)
    {
        var last = 0;
        foreach (Match match in LinkPattern().Matches(text))
        {
            var value = match.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '，', '。');
            if (match.Index > last)
            {
                yield return new Part(text[last..match.Index], false);
            }

            yield return new Part(value, true);
            last = match.Index + value.Length;
        }

        if (last < text.Length)
        {
            yield return new Part(text[last..], false);
        }
    }

    [GeneratedRegex(@"(?<!\*)\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?!\*)", RegexOptions.CultureInvariant)]
    private static partial Regex BoldPattern();

    [GeneratedRegex(@"(?:https?://|mailto:)[^\s<>""'\u3000-\u303F\uFF00-\uFFEF]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();
}
