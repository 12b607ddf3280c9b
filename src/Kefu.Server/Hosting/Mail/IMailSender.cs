using MimeKit;

namespace Kefu.Server.Hosting.Mail;

/// <summary>Sends mail through the configured SMTP server (<see cref="MailOptions"/>), for any feature.</summary>
public interface IMailSender
{
    /// <summary>False when <c>Kefu:Mail:Host</c> is not set: <see cref="SendAsync"/> would throw.</summary>
    bool IsConfigured { get; }

    /// <summary>The configured public address of Kefu, for absolute links in mail (null when mail is not configured).</summary>
    Uri? PublicUrl { get; }

    /// <summary>Sends one message; the configured sender is used when the message has no <c>From</c>.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
