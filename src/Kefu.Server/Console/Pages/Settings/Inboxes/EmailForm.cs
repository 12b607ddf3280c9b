using Kefu.Server.Features.Channels.Email;
using Kefu.Server.Hosting.Mail;

namespace Kefu.Server.Console.Pages.Settings.Inboxes;

/// <summary>
/// An e-mail inbox's settings while the console edits them. Passwords start empty and are only ever typed: the stored
/// ones never come back to the browser (<see cref="EmailSettingsDto"/> says only whether one is stored), and an empty
/// box keeps the stored one (<see cref="EmailSettingsRequest"/>).
/// </summary>
public sealed class EmailForm
{
    public string? ImapHost { get; set; }
    public int ImapPort { get; set; } = 993;
    public MailSecurity ImapSecurity { get; set; } = MailSecurity.SslOnConnect;
    public string? ImapUserName { get; set; }
    public string? ImapPassword { get; set; }
    public bool HasImapPassword { get; set; }
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;
    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }
    public bool HasSmtpPassword { get; set; }
    public string? FromAddress { get; set; }
    public string? FromName { get; set; }
    public string? Signature { get; set; }
    public string? AutoReply { get; set; }
    public bool Tickets { get; set; }

    public static EmailForm From(EmailSettingsDto s) => new()
    {
        ImapHost = s.ImapHost, ImapPort = s.ImapPort, ImapSecurity = s.ImapSecurity, ImapUserName = s.ImapUserName, HasImapPassword = s.HasImapPassword,
        SmtpHost = s.SmtpHost, SmtpPort = s.SmtpPort, SmtpSecurity = s.SmtpSecurity, SmtpUserName = s.SmtpUserName, HasSmtpPassword = s.HasSmtpPassword,
        FromAddress = s.FromAddress, FromName = s.FromName, Signature = s.Signature, AutoReply = s.AutoReply, Tickets = s.Tickets,
    };

    public EmailSettingsRequest ToRequest() => new(
        ImapHost, ImapPort, ImapSecurity, ImapUserName, ImapPassword, SmtpHost, SmtpPort, SmtpSecurity, SmtpUserName, SmtpPassword,
        FromAddress, FromName, Signature, AutoReply, Tickets);

    /// <summary>Forgets the typed passwords (after a save), so they are not kept in the circuit longer than needed.</summary>
    public void ClearPasswords(EmailSettingsDto saved)
    {
        ImapPassword = null;
        SmtpPassword = null;
        HasImapPassword = saved.HasImapPassword;
        HasSmtpPassword = saved.HasSmtpPassword;
    }
}
