using System.Net;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>A header value would carry a line break: the mail is refused rather than sent with headers of someone else's making.</summary>
internal sealed class UnsafeHeaderException(string header) : Exception($"The {header} header would contain a line break.");

/// <summary>
/// Builds the mails an inbox sends: multipart/alternative (plain text and the same text as HTML), From the inbox,
/// Reply-To its address with the reply token, a Message-ID carrying the token, and In-Reply-To/References continuing
/// the customer's thread.
/// </summary>
internal static class MailComposer
{
    public static MimeMessage Compose(EmailSettings settings, string token, Guid id, string toAddress, string? toName, string subject,
        string text, string? inReplyTo, string references, bool automatic)
    {
        Check("To", toName);
        Check("To", toAddress);
        Check("Subject", subject);
        Check("In-Reply-To", inReplyTo);
        Check("References", references);
        var at = settings.FromAddress.LastIndexOf('@');
        var (local, domain) = (settings.FromAddress[..at], settings.FromAddress[(at + 1)..]);
        var mail = new MimeMessage { Subject = subject, MessageId = $"{token}.{id:N}@{domain}" };
        mail.From.Add(new MailboxAddress(settings.FromName ?? "", settings.FromAddress));
        mail.ReplyTo.Add(new MailboxAddress(settings.FromName ?? "", $"{local}+{token}@{domain}"));
        mail.To.Add(new MailboxAddress(toName ?? "", toAddress));
        if (inReplyTo is not null)
        {
            mail.InReplyTo = inReplyTo;
        }

        foreach (var reference in references.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeLast(EmailThreading.MaxReferences))
        {
            mail.References.Add(reference);
        }

        if (automatic)
        {
            mail.Headers.Add("Auto-Submitted", "auto-replied"); // RFC 3834: other responders must not answer it
        }

        var signature = settings.Signature is { } s ? $"\n\n-- \n{s}" : "";
        var body = new BodyBuilder
        {
            TextBody = text + signature,
            HtmlBody = "<!DOCTYPE html><html><body><div style=\"font-family:sans-serif;white-space:pre-wrap\">" + WebUtility.HtmlEncode(text) + "</div>"
                       + (settings.Signature is { } sig ? "<div style=\"color:#666;white-space:pre-wrap;margin-top:1em\">-- \n" + WebUtility.HtmlEncode(sig) + "</div>" : "")
                       + "</body></html>",
        };
        mail.Body = body.ToMessageBody();
        return mail;
    }

    /// <summary>"Re: " once before the customer's subject.</summary>
    public static string ReplySubject(string subject) =>
        subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : subject.Length == 0 ? "Re: your message" : "Re: " + subject;

    private static void Check(string header, string? value)
    {
        if (value is not null && value.Any(c => c is '\r' or '\n' || char.IsControl(c)))
        {
            throw new UnsafeHeaderException(header);
        }
    }
}
