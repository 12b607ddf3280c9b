using AngleSharp.Html.Parser;
using Ganss.Xss;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>A mail broke a parser limit; it is quarantined at once (trying again cannot help).</summary>
internal sealed class MailLimitException(string reason) : Exception(reason)
{
    /// <summary>The quarantine reason code.</summary>
    public string Reason { get; } = reason;
}

/// <summary>What Kefu reads out of one received mail: sender, body, whether a machine sent it, whether it is a bounce.</summary>
internal sealed class InboundMail
{
    private static readonly string[] MachineSenders = ["mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply"];

    private InboundMail(MimeMessage mail) => Mail = mail;

    public MimeMessage Mail { get; }

    /// <summary>
    /// Walks the MIME tree once, iteratively (a recursive walk of a hostile 50-level mail is what the limit is for),
    /// and throws <see cref="MailLimitException"/> when it has more parts or levels than allowed.
    /// </summary>
    public static InboundMail Inspect(MimeMessage mail, EmailOptions limits)
    {
        var parts = 0;
        var stack = new Stack<(MimeEntity? Entity, int Depth)>();
        stack.Push((mail.Body, 1));
        while (stack.Count > 0)
        {
            var (entity, depth) = stack.Pop();
            if (entity is null)
            {
                continue;
            }

            if (++parts > limits.MaxParts)
            {
                throw new MailLimitException("too_many_parts");
            }

            if (depth > limits.MaxDepth)
            {
                throw new MailLimitException("too_deep");
            }

            if (entity is Multipart multipart)
            {
                foreach (var child in multipart)
                {
                    stack.Push((child, depth + 1));
                }
            }
            else if (entity is MessagePart { Message: { } inner })
            {
                stack.Push((inner.Body, depth + 1));
            }
        }

        return new InboundMail(mail);
    }

    public MailboxAddress? Sender => Mail.From.Mailboxes.FirstOrDefault() ?? Mail.Sender;

    /// <summary>The Message-ID, or null when the mail has none (rare; then the IMAP UID names it).</summary>
    public string? MessageId => Mail.MessageId is { Length: > 0 and <= EmailThreading.MaxIdLength } id ? id : null;

    public string Subject => EmailThreading.OneLine(Mail.Subject, EmailThreading.MaxSubjectLength);

    /// <summary>
    /// Sent by a machine (RFC 3834 Auto-Submitted, Precedence bulk/junk/list, a mailing list, a mailer-daemon or
    /// no-reply sender, the Microsoft and common auto-responder headers): such mail is never answered automatically.
    /// </summary>
    public bool Automatic
    {
        get
        {
            var h = Mail.Headers;
            if (h["Auto-Submitted"] is { } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (h["Precedence"]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" || h.Contains("List-Id") || h.Contains("X-Autoreply")
                || h.Contains("X-Autorespond") || h["X-Auto-Response-Suppress"]?.Contains("All", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }

            var local = Sender?.LocalPart.ToLowerInvariant() ?? "";
            return MachineSenders.Any(m => local == m || local.StartsWith(m + "+", StringComparison.Ordinal)) || IsBounce;
        }
    }

    /// <summary>A delivery status notification (RFC 3464): <c>multipart/report; report-type=delivery-status</c>.</summary>
    public bool IsBounce => Mail.Body is MultipartReport report
                            && string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase);

    /// <summary>A bounce's original Message-ID and status code (<c>5.1.1</c>), from its returned headers or message.</summary>
    public (string? OriginalId, string? Status) BounceDetails()
    {
        string? original = null, status = null;
        foreach (var part in Mail.BodyParts)
        {
            // message/rfc822 and text/rfc822-headers (a MessagePart too in MimeKit) both carry the original's headers.
            if (part is MessagePart { Message: { } returned })
            {
                original ??= returned.MessageId;
            }
            else if (part is MessageDeliveryStatus dsn)
            {
                status ??= dsn.StatusGroups.Select(g => g["Status"]).FirstOrDefault(s => s is not null)?.Trim();
            }
        }

        return (original, status is { Length: <= 20 } ? status : null);
    }

    /// <summary>The text for the conversation: the plain part, else the HTML's text, without the quoted history.</summary>
    public string Text(int max)
    {
        var text = Mail.TextBody;
        if (string.IsNullOrWhiteSpace(text) && Mail.HtmlBody is { } html)
        {
            text = new HtmlParser().ParseDocument(html).Body?.TextContent ?? "";
        }

        text = WithoutQuote(text ?? "").Trim();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    /// <summary>The HTML body through the allowlist sanitiser; null when the mail has no HTML part.</summary>
    public string? SanitisedHtml() => Mail.HtmlBody is { Length: > 0 } html ? Sanitiser().Sanitize(html) : null;

    private static HtmlSanitizer Sanitiser()
    {
        // The default allowlist (no script, no event handlers, no forms, no iframes) keeps the mail's layout; the console
        // also shows it in a sandboxed frame whose content policy blocks remote images until the agent asks for them.
        var sanitiser = new HtmlSanitizer();
        sanitiser.AllowedSchemes.Add("cid");
        sanitiser.AllowedTags.Remove("form");
        return sanitiser;
    }

    /// <summary>Cuts the quoted history replies carry ("On … wrote:", "-----Original Message-----", a trailing "&gt;" block).</summary>
    private static string WithoutQuote(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var end = lines.Length;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if ((line.StartsWith("On ", StringComparison.Ordinal) && line.EndsWith("wrote:", StringComparison.Ordinal))
                || line.StartsWith("-----Original Message-----", StringComparison.OrdinalIgnoreCase)
                || (line.StartsWith("在", StringComparison.Ordinal) && line.EndsWith("写道：", StringComparison.Ordinal)))
            {
                end = i;
                break;
            }
        }

        while (end > 0 && (lines[end - 1].StartsWith('>') || string.IsNullOrWhiteSpace(lines[end - 1])))
        {
            end--;
        }

        return string.Join('\n', lines, 0, end);
    }
}
