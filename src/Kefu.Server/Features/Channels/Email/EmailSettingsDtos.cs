using Kefu.Server.Hosting.Mail;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>An e-mail inbox's mail servers and sender, as written by an administrator.</summary>
/// <param name="ImapHost">Incoming mail server (IMAP) host name.</param>
/// <param name="ImapPort">Its port: 993 with TLS on connect, 143 with STARTTLS.</param>
/// <param name="ImapSecurity">How the IMAP connection is secured.</param>
/// <param name="ImapUserName">The mailbox's user name.</param>
/// <param name="ImapPassword">The mailbox's password or app password; null or empty keeps the stored one.</param>
/// <param name="SmtpHost">Outgoing mail server (SMTP) host name.</param>
/// <param name="SmtpPort">Its port: 587 with STARTTLS, 465 with TLS on connect.</param>
/// <param name="SmtpSecurity">How the SMTP connection is secured.</param>
/// <param name="SmtpUserName">The SMTP user name; null when the server needs no authentication.</param>
/// <param name="SmtpPassword">The SMTP password; null or empty keeps the stored one.</param>
/// <param name="FromAddress">The inbox's address, e.g. <c>support@shop.example</c>; replies come back to it.</param>
/// <param name="FromName">The sender's name shown to customers, e.g. <c>Shop support</c>.</param>
/// <param name="Signature">Plain text added under every reply.</param>
/// <param name="AutoReply">Plain text sent once when a mail starts a new conversation; null sends nothing.</param>
/// <param name="Tickets">
/// True: a new mail opens a ticket (and its thread's answers go to that ticket) instead of a conversation; null keeps
/// what is stored (false for a new inbox: conversations stay the default).
/// </param>
public sealed record EmailSettingsRequest(
    string? ImapHost, int ImapPort, MailSecurity ImapSecurity, string? ImapUserName, string? ImapPassword,
    string? SmtpHost, int SmtpPort, MailSecurity SmtpSecurity, string? SmtpUserName, string? SmtpPassword,
    string? FromAddress, string? FromName, string? Signature, string? AutoReply, bool? Tickets = null);

/// <summary>An e-mail inbox's settings as shown back: passwords are never returned, only whether one is stored.</summary>
/// <param name="ImapHost">Incoming mail server host name.</param>
/// <param name="ImapPort">Its port.</param>
/// <param name="ImapSecurity">How the IMAP connection is secured.</param>
/// <param name="ImapUserName">The mailbox's user name.</param>
/// <param name="HasImapPassword">A password is stored.</param>
/// <param name="SmtpHost">Outgoing mail server host name.</param>
/// <param name="SmtpPort">Its port.</param>
/// <param name="SmtpSecurity">How the SMTP connection is secured.</param>
/// <param name="SmtpUserName">The SMTP user name, if any.</param>
/// <param name="HasSmtpPassword">A password is stored.</param>
/// <param name="FromAddress">The inbox's address.</param>
/// <param name="FromName">The sender's name.</param>
/// <param name="Signature">Added under every reply.</param>
/// <param name="AutoReply">The acknowledgement of a new conversation, if any.</param>
/// <param name="Tickets">Mail makes tickets rather than conversations.</param>
public sealed record EmailSettingsDto(
    string ImapHost, int ImapPort, MailSecurity ImapSecurity, string ImapUserName, bool HasImapPassword,
    string SmtpHost, int SmtpPort, MailSecurity SmtpSecurity, string? SmtpUserName, bool HasSmtpPassword,
    string FromAddress, string? FromName, string? Signature, string? AutoReply, bool Tickets = false);

/// <summary>A new e-mail inbox.</summary>
/// <param name="Name">The inbox's name in the console.</param>
/// <param name="Settings">Its mail servers and sender; both passwords are required here.</param>
public sealed record CreateEmailInboxRequest(string? Name, EmailSettingsRequest? Settings);

/// <summary>The outcome of a connection test: each server either answered and accepted the login, or the reason it did not.</summary>
/// <param name="ImapOk">The IMAP server accepted the login and opened the inbox.</param>
/// <param name="ImapError">A code when it did not: <c>connect_failed</c>, <c>tls_failed</c>, <c>login_failed</c>, <c>timeout</c>.</param>
/// <param name="SmtpOk">The SMTP server accepted the connection (and the login, when one is set).</param>
/// <param name="SmtpError">A code when it did not.</param>
public sealed record EmailConnectionTest(bool ImapOk, string? ImapError, bool SmtpOk, string? SmtpError);
