using System.Text.RegularExpressions;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>
/// The rules of an inbox's settings, one place for the REST API and the console (which calls the same handlers):
/// limits, defaults, and the normalisation of what people type. Each refusal names the request field at fault.
/// </summary>
public static partial class InboxRules
{
    /// <summary>Longest inbox name.</summary>
    public const int MaxName = 100;

    /// <summary>Most allowed origins per inbox.</summary>
    public const int MaxOrigins = 20;

    /// <summary>Longest greeting (the inbox's or the bot's).</summary>
    public const int MaxGreeting = 500;

    /// <summary>Longest bot name.</summary>
    public const int MaxBotName = 40;

    /// <summary>Longest launcher text: it sits beside a 60-pixel button.</summary>
    public const int MaxLauncherText = 24;

    /// <summary>The widget's accent colour when none is set.</summary>
    public const string DefaultColor = "#d9480f";

    /// <summary>The bot's name when the inbox sets none, in the conversation's language.</summary>
    public static string DefaultBotName(string language) => language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "智能助手" : "Assistant";

    /// <summary>An inbox name: one line, 1–100 characters once cleaned.</summary>
    public static (string? Value, KefuError? Error) Name(string? name)
    {
        var clean = SafeText.SingleLine(name);
        return clean.Length is 0 or > MaxName
            ? (null, InboxErrors.Invalid("name", $"The name must have 1 to {MaxName} characters."))
            : (clean, null);
    }

    /// <summary>
    /// Allowed origins, each an exact <c>scheme://host[:port]</c> (http or https), normalised to lower case without a
    /// default port or trailing slash; duplicates are dropped. Paths, queries, user names and wildcards are refused:
    /// an origin is what a browser sends in its <c>Origin</c> header, and a wildcard would let any site hold the
    /// inbox's conversations.
    /// </summary>
    public static (IReadOnlyList<string>? Value, KefuError? Error) Origins(IEnumerable<string?>? origins)
    {
        var result = new List<string>();
        foreach (var raw in origins ?? [])
        {
            var text = raw?.Trim() ?? "";
            if (text.Length == 0)
            {
                continue;
            }

            var normalized = text.Contains('*', StringComparison.Ordinal) || text.Length > 200 ? null : OriginPolicy.Normalize(text);
            if (normalized is null)
            {
                return (null, InboxErrors.Invalid("allowedOrigins", $"'{SafeText.SingleLine(text)}' is not an origin such as https://shop.example.com or http://localhost:8080."));
            }

            if (!result.Contains(normalized, StringComparer.Ordinal))
            {
                result.Add(normalized);
            }
        }

        return result.Count > MaxOrigins
            ? (null, InboxErrors.Invalid("allowedOrigins", $"At most {MaxOrigins} origins."))
            : (result, null);
    }

    /// <summary>A <c>#rrggbb</c> colour, in lower case.</summary>
    public static (string? Value, KefuError? Error) Color(string? color) =>
        color is not null && ColorPattern().IsMatch(color.Trim())
            ? (color.Trim().ToLowerInvariant(), null)
            : (null, InboxErrors.Invalid("color", "The colour must be #rrggbb, e.g. #d9480f."));

    /// <summary>Optional one-line text of at most <paramref name="max"/> characters; empty becomes null.</summary>
    public static (string? Value, KefuError? Error) OptionalLine(string? text, int max, string field)
    {
        var clean = SafeText.SingleLine(text);
        return clean.Length > max ? (null, InboxErrors.Invalid(field, $"At most {max} characters.")) : (clean.Length == 0 ? null : clean, null);
    }

    /// <summary>Optional text of several lines, at most <see cref="MaxGreeting"/> characters; empty becomes null.</summary>
    public static (string? Value, KefuError? Error) OptionalText(string? text, string field)
    {
        var clean = SafeText.MultiLine(text).Trim();
        return clean.Length > MaxGreeting ? (null, InboxErrors.Invalid(field, $"At most {MaxGreeting} characters.")) : (clean.Length == 0 ? null : clean, null);
    }

    /// <summary>The tag a website includes to show the widget of the inbox with <paramref name="widgetKey"/>.</summary>
    public static string EmbedSnippet(string baseUrl, string widgetKey) =>
        $"<script src=\"{System.Net.WebUtility.HtmlEncode(baseUrl.TrimEnd('/'))}/widget.js\" data-kefu-key=\"{System.Net.WebUtility.HtmlEncode(widgetKey)}\" async></script>";

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
