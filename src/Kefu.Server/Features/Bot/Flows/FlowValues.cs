using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>Slot checks and <c>{{variable}}</c> templates, shared by the runner and the save-time validator.</summary>
internal static partial class FlowValues
{
    /// <summary>How long one slot pattern may run on one answer; past it the answer counts as not valid.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public const int MaxValueLength = 200;

    /// <summary>
    /// A slot pattern: compiled without backtracking, so no pattern can run away on any input (and a pattern that needs
    /// backtracking — backreferences, lookarounds — is refused when the flow is saved); the timeout is a second fence.
    /// </summary>
    public static Regex Pattern(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>The answer in its stored form when it passes <paramref name="validation"/>, else null.</summary>
    public static string? Check(FlowValidation? validation, string input)
    {
        var text = input.Trim();
        if (text.Length is 0 or > MaxValueLength)
        {
            return null;
        }

        return (validation?.Kind ?? "text") switch
        {
            "regex" => MatchPattern(validation!.Pattern ?? "", text),
            "phone" => Phone(text),
            "email" => System.Net.Mail.MailAddress.TryCreate(text, out var a) && a.Address == text && text.Contains('.', StringComparison.Ordinal) ? text : null,
            "date" => Date(text),
            "choice" => validation!.Choices?.FirstOrDefault(c => string.Equals(c.Trim(), text, StringComparison.OrdinalIgnoreCase)),
            _ => text,
        };
    }

    private static string? MatchPattern(string pattern, string text)
    {
        try
        {
            return Pattern(pattern).IsMatch(text) ? text : null;
        }
        catch (Exception e) when (e is RegexMatchTimeoutException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>6–15 digits, with an optional leading + and spaces, dashes or brackets between (stored without them).</summary>
    private static string? Phone(string text)
    {
        if (!text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')') || text.LastIndexOf('+') > 0)
        {
            return null;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return digits.Length is >= 6 and <= 15 ? (text.StartsWith('+') ? "+" : "") + digits : null;
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "d.M.yyyy", "M/d/yyyy"];

    /// <summary>A calendar date in a common form, stored as <c>yyyy-MM-dd</c>.</summary>
    private static string? Date(string text) =>
        DateOnly.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    /// <summary><c>{{name}}</c> replaced by the variable (empty when unset), each value passed through <paramref name="encode"/>.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> variables, Func<string, string>? encode = null) =>
        Placeholder().Replace(template, m =>
        {
            var value = variables.TryGetValue(m.Groups[1].Value, out var v) ? v : "";
            return encode is null ? value : encode(value);
        });

    /// <summary>Whether <paramref name="text"/> holds a <c>{{variable}}</c>.</summary>
    public static bool HasPlaceholder(string text) => Placeholder().IsMatch(text);

    /// <summary>Variable names: letters, digits, <c>_</c>, <c>.</c>.</summary>
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.]{1,40})\s*\}\}", RegexOptions.CultureInvariant, 100)]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z0-9_-]{1,40}$", RegexOptions.CultureInvariant, 100)]
    public static partial Regex StepId();

    [GeneratedRegex("^[A-Za-z0-9_]{1,40}$", RegexOptions.CultureInvariant, 100)]
    public static partial Regex VariableName();

    /// <summary>Cuts a value for storing (variables stay small: they travel in the hand-off packet).</summary>
    public static string Cut(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength];

    /// <summary>For logs and errors: no more than a short sample of user text.</summary>
    public static string Sample(string value)
    {
        var b = new StringBuilder();
        foreach (var c in value.Take(40))
        {
            b.Append(char.IsControl(c) ? ' ' : c);
        }

        return b.ToString();
    }
}
