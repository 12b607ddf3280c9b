using System.Text;
using System.Text.RegularExpressions;
using Ganss.Xss;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Kefu.Server.Features.Knowledge;

/// <summary>
/// Turns an answer's Markdown into safe HTML (raw HTML disabled, then sanitized, so an admin's or an
/// import's <c>&lt;script&gt;</c> never reaches a browser), into chat text for bot messages (plain text in
/// which bold stays marked as <c>**…**</c>, the one mark the widget and the console render, as text), or into
/// plain text for search and training.
/// </summary>
internal static partial class ArticleMarkdown
{
    /// <summary>The bold mark chat text keeps.</summary>
    public const string Bold = "**";

    // CJK-friendly emphasis: CommonMark alone does not close "**“七天”**退货" (punctuation next to a Han
    // character), and the literal asterisks would reach the visitor.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseCjkFriendlyEmphasis()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string ToHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(WithoutCjkGaps(markdown), Pipeline));

    /// <summary>Chat text for a bot message: plain text with <c>**bold**</c> kept, cut to <paramref name="maxLength"/> characters.</summary>
    public static string ToChatText(string markdown, int maxLength)
    {
        var blocks = new List<string>();
        WriteBlocks(Markdown.Parse(WithoutCjkGaps(markdown), Pipeline), blocks);
        var text = string.Join("\n\n", blocks.Where(b => b.Length > 0)).Replace("\r", "", StringComparison.Ordinal).Trim();
        if (text.Length > maxLength)
        {
            text = string.Concat(text.AsSpan(0, maxLength - 1), "…");
            if (Regex.Count(text, Regex.Escape(Bold)) % 2 == 1)
            {
                // The cut fell inside a bold run: drop its opening mark rather than leave a dangling one.
                var open = text.LastIndexOf(Bold, StringComparison.Ordinal);
                text = text.Remove(open, Bold.Length);
            }
        }

        return text;
    }

    /// <summary>Plain text without any mark, for search snippets and the classifier, cut to <paramref name="maxLength"/> characters.</summary>
    public static string ToPlainText(string markdown, int maxLength)
    {
        var text = ToChatText(markdown, int.MaxValue).Replace(Bold, "", StringComparison.Ordinal);
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1), "…");
    }

    /// <summary>
    /// Drops the spaces authors put between Han text and a bold run of Han text ("进入 **我的订单**，", "订单 **发货前** 可以"):
    /// plain CommonMark needed them, Chinese does not use them, and they showed as gaps. Spaces next to Latin
    /// letters or digits stay.
    /// </summary>
    internal static string WithoutCjkGaps(string markdown)
    {
        var sb = new StringBuilder(markdown);
        foreach (var bold in BoldRun().Matches(markdown).Reverse())
        {
            var inner = bold.Groups[1].Value;
            var end = bold.Index + bold.Length;
            if (end + 1 < markdown.Length && markdown[end] == ' ' && IsCjk(markdown[end + 1]) && IsCjk(inner[^1]))
            {
                sb.Remove(end, 1);
            }

            if (bold.Index >= 2 && markdown[bold.Index - 1] == ' ' && IsCjk(markdown[bold.Index - 2]) && IsCjk(inner[0]))
            {
                sb.Remove(bold.Index - 1, 1);
            }
        }

        return sb.ToString();
    }

    private static bool IsCjk(char c) =>
        c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf' or >= '\u3000' and <= '\u303f' or >= '\uff00' and <= '\uffef'
            or '\u201c' or '\u201d' or '\u2018' or '\u2019';

    private static void WriteBlocks(ContainerBlock container, List<string> output)
    {
        foreach (var block in container)
        {
            switch (block)
            {
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    var items = new List<string>();
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var parts = new List<string>();
                        WriteBlocks(item, parts);
                        items.Add((list.IsOrdered ? $"{number++}. " : "• ") + string.Join("\n", parts));
                    }

                    output.Add(string.Join("\n", items));
                    break;
                case Table table:
                    output.Add(string.Join("\n", table.OfType<TableRow>().Select(row =>
                        string.Join(" | ", row.OfType<TableCell>().Select(cell =>
                        {
                            var parts = new List<string>();
                            WriteBlocks(cell, parts);
                            return string.Join(" ", parts);
                        })))));
                    break;
                case HeadingBlock { Inline: { } heading }:
                    output.Add(Emphasised(Inlines(heading)));
                    break;
                case CodeBlock code:
                    output.Add(code.Lines.ToString());
                    break;
                case ThematicBreakBlock:
                    break;
                case LeafBlock { Inline: { } inline }:
                    output.Add(Inlines(inline));
                    break;
                case ContainerBlock child:
                    WriteBlocks(child, output);
                    break;
            }
        }
    }

    private static string Inlines(ContainerInline container)
    {
        var sb = new StringBuilder();
        foreach (var inline in container)
        {
            sb.Append(inline switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                LineBreakInline => "\n",
                HtmlEntityInline entity => entity.Transcoded.ToString(),
                AutolinkInline link => link.Url,
                EmphasisInline { DelimiterCount: 2, DelimiterChar: '*' or '_' } bold => Emphasised(Inlines(bold)),
                LinkInline { IsImage: true } image => Inlines(image),
                LinkInline link => Linked(Inlines(link), link.Url),
                ContainerInline other => Inlines(other),
                HtmlInline html => html.Tag,
                _ => "",
            });
        }

        return sb.ToString();
    }

    // Bold inside bold, or around nothing, would leave marks the clients cannot pair.
    private static string Emphasised(string text) =>
        text.Trim().Length == 0 ? text : Bold + text.Replace(Bold, "", StringComparison.Ordinal).Trim() + Bold;

    // The address after the words, so the chat (which links addresses itself) keeps where the link went.
    private static string Linked(string text, string? url) =>
        string.IsNullOrEmpty(url) || string.Equals(text, url, StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Absolute, out _)
            ? text
            : $"{text} ({url})";

    [GeneratedRegex(@"(?<!\*)\*\*(?=[^\s*])([^*\n]*?[^\s*])\*\*(?!\*)")]
    private static partial Regex BoldRun();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }

        sanitizer.AllowedTags.Remove("img"); // no tracking pixels or remote images in answers
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedAttributes.Add("rel");
        sanitizer.AllowedAttributes.Add("target");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }
}
