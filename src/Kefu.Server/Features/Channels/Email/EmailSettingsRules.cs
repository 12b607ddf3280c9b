using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using MimeKit;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// Checks an e-mail inbox's settings whole before anything is stored: host names, ports, the sender address, and no
/// control characters anywhere (every value ends up in a mail header or a protocol command line).
/// </summary>
internal static class EmailSettingsRules
{
    public const int MaxSignature = 2000;
    public const int MaxAutoReply = 2000;
    public const int MaxName = 100;
    public const int MaxSecret = 500;

    /// <summary>The settings to store, or the first field at fault. <paramref name="current"/> supplies kept passwords.</summary>
    public static (EmailSettings? Settings, KefuError? Error) Build(EmailSettingsRequest? r, EmailSettings? current, EmailSecrets secrets)
    {
        if (r is null)
        {
            return (null, KefuError.InvalidRequest);
        }

        var error = Host("imapHost", r.ImapHost) ?? Port("imapPort", r.ImapPort) ?? Security("imapSecurity", r.ImapSecurity)
                    ?? Line("imapUserName", r.ImapUserName, 320, required: true) ?? Line("imapPassword", r.ImapPassword, MaxSecret, required: false)
                    ?? Host("smtpHost", r.SmtpHost) ?? Port("smtpPort", r.SmtpPort) ?? Security("smtpSecurity", r.SmtpSecurity)
                    ?? Line("smtpUserName", r.SmtpUserName, 320, required: false) ?? Line("smtpPassword", r.SmtpPassword, MaxSecret, required: false)
                    ?? Address(r.FromAddress) ?? Line("fromName", r.FromName, MaxName, required: false)
                    ?? Text("signature", r.Signature, MaxSignature) ?? Text("autoReply", r.AutoReply, MaxAutoReply);
        if (error is not null)
        {
            return (null, error);
        }

        var imapPassword = string.IsNullOrEmpty(r.ImapPassword) ? current?.ImapPassword : secrets.Protect(r.ImapPassword);
        if (imapPassword is null)
        {
            return (null, InboxErrors.Invalid("imapPassword", "The mailbox's password is required."));
        }

        var smtpUser = Blank(r.SmtpUserName);
        var smtpPassword = smtpUser is null ? null : string.IsNullOrEmpty(r.SmtpPassword) ? current?.SmtpPassword : secrets.Protect(r.SmtpPassword);
        if (smtpUser is not null && smtpPassword is null)
        {
            return (null, InboxErrors.Invalid("smtpPassword", "The SMTP password is required with a user name."));
        }

        return (new EmailSettings(r.ImapHost!.Trim(), r.ImapPort, r.ImapSecurity, r.ImapUserName!.Trim(), imapPassword,
            r.SmtpHost!.Trim(), r.SmtpPort, r.SmtpSecurity, smtpUser, smtpPassword,
            r.FromAddress!.Trim().ToLowerInvariant(), Blank(r.FromName), Blank(r.Signature), Blank(r.AutoReply),
            current?.ReplyKey ?? secrets.NewReplyKey(), r.Tickets ?? current?.Tickets ?? false), null);
    }

    /// <summary>The audit detail: which servers, never the user names, passwords or texts.</summary>
    public static string Detail(EmailSettings s, EmailSettingsRequest r) =>
        $"email.imap={s.ImapHost}:{s.ImapPort}/{s.ImapSecurity} smtp={s.SmtpHost}:{s.SmtpPort}/{s.SmtpSecurity} " +
        $"imapPasswordChanged={Flag(!string.IsNullOrEmpty(r.ImapPassword))} smtpPasswordChanged={Flag(!string.IsNullOrEmpty(r.SmtpPassword))} " +
        $"signature={Flag(s.Signature is not null)} autoReply={Flag(s.AutoReply is not null)} tickets={Flag(s.Tickets)}";

    private static string Flag(bool value) => value ? "true" : "false";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static KefuError? Host(string field, string? value)
    {
        var host = value?.Trim();
        return string.IsNullOrEmpty(host) || host.Length > 253 || Uri.CheckHostName(host) == UriHostNameType.Unknown
            ? InboxErrors.Invalid(field, "Enter the server's host name, such as imap.example.com.")
            : null;
    }

    private static KefuError? Port(string field, int value) =>
        value is < 1 or > 65535 ? InboxErrors.Invalid(field, "A port is a number from 1 to 65535.") : null;

    private static KefuError? Security(string field, Hosting.Mail.MailSecurity value) =>
        Enum.IsDefined(value) ? null : InboxErrors.Invalid(field, "Choose TLS, STARTTLS or none.");

    private static KefuError? Line(string field, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? InboxErrors.Invalid(field, "This value is required.") : null;
        }

        // A CR or LF here would end a protocol line or a header and start another one of the sender's choosing.
        return value.Length > max || value.Any(char.IsControl) ? InboxErrors.Invalid(field, $"Up to {max} characters on one line.") : null;
    }

    private static KefuError? Text(string field, string? value, int max) =>
        value is { Length: > 0 } && (value.Length > max || value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            ? InboxErrors.Invalid(field, $"Up to {max} characters.")
            : null;

    private static KefuError? Address(string? value)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) || text.Length > 254 || text.Any(char.IsControl) || !MailboxAddress.TryParse(text, out var parsed)
               || parsed.Address != text || !text.Contains('@', StringComparison.Ordinal) || text.Contains('+', StringComparison.Ordinal)
            ? InboxErrors.Invalid("fromAddress", "Enter the inbox's address, such as support@example.com (without a +tag: replies use it).")
            : null;
    }
}
