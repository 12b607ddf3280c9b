using System.Text.RegularExpressions;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>The values a reply's variables take in one conversation; null when there is none (no e-mail given).</summary>
internal sealed record TemplateValues(string? ContactName, string? ContactEmail, string? AgentName, string? ConversationId, string? InboxName);

/// <summary>What filling a text gave: the text, and the placeholders left as written.</summary>
internal sealed record FilledText(string Text, IReadOnlyList<string> Unfilled);

/// <summary>
/// Canned-reply variables: <c>{{name}}</c> from a fixed allowlist, replaced by plain lookup. Nothing in a text is
/// ever evaluated — <c>{{7*7}}</c>, <c>@(1+1)</c> and <c>${x}</c> are just characters — and a filled value is never
/// scanned again, so a contact who calls themselves <c>{{agent.name}}</c> stays exactly that.
/// </summary>
internal static partial class CannedReplyTemplate
{
    /// <summary>The variables a reply may use. Contacts have no custom attributes yet, so <c>contact.attributes.*</c> is not one.</summary>
    public static readonly IReadOnlyList<string> Variables = ["contact.name", "contact.email", "agent.name", "conversation.id", "inbox.name"];

    // Bounded, no nesting, no backtracking blow-up: a placeholder is {{ up to 100 characters without braces }}.
    [GeneratedRegex(@"\{\{([^{}\r\n]{0,100})\}\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Placeholder();

    /// <summary>Every placeholder of <paramref name="text"/> that is not an allowed variable, as written (<c>{{7*7}}</c>), once each.</summary>
    public static IReadOnlyList<string> UnknownVariables(string? text) =>
        [.. Placeholder().Matches(text ?? "").Where(m => Name(m) is null).Select(m => m.Value).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// <paramref name="text"/> with each allowed variable that has a value replaced by it. An unknown variable, or one
    /// with no value here, stays as written and is listed in <see cref="FilledText.Unfilled"/> so the agent sees it.
    /// </summary>
    public static FilledText Fill(string text, TemplateValues values)
    {
        var unfilled = new List<string>();
        var filled = Placeholder().Replace(text, m =>
        {
            var value = Name(m) switch
            {
                "contact.name" => values.ContactName,
                "contact.email" => values.ContactEmail,
                "agent.name" => values.AgentName,
                "conversation.id" => values.ConversationId,
                "inbox.name" => values.InboxName,
                _ => null,
            };
            if (string.IsNullOrEmpty(value))
            {
                if (!unfilled.Contains(m.Value, StringComparer.Ordinal))
                {
                    unfilled.Add(m.Value);
                }

                return m.Value;
            }

            return value;
        });
        return new FilledText(filled, unfilled);
    }

    /// <summary>The allowed variable a placeholder names (spaces inside the braces allowed, case ignored), or null.</summary>
    private static string? Name(Match m)
    {
        var name = m.Groups[1].Value.Trim().ToLowerInvariant();
        return Variables.Contains(name, StringComparer.Ordinal) ? name : null;
    }
}
