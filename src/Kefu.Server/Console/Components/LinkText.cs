using System.Text.RegularExpressions;

namespace Kefu.Server.Console.Components;

/// <summary>Splits message text into plain runs and links. Only http, https and mailto are links.</summary>
internal static partial class LinkText
{
    public readonly record struct Part(string Value, bool IsLink);

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

    [GeneratedRegex(@"(?:https?://|mailto:)[^\s<>""'\u3000-\u303F\uFF00-\uFFEF]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();
}
