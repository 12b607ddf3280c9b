using MailKit.Security;
using MimeKit;

namespace Kefu.Server.Hosting.Mail;

/// <summary>How the SMTP connection is secured.</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP upgraded with STARTTLS; the server must offer it (port 587). The default.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS at all: only for a relay on the same host or a test server.</summary>
    None,
}

/// <summary>Outgoing mail (SMTP), section <c>Kefu:Mail</c>. Without <see cref="Host"/>, Kefu sends no mail.</summary>
public sealed class MailOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Mail";

    /// <summary>The SMTP server's host name. Empty (the default): mail is not configured.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP port: 587 for STARTTLS (the default), 465 for TLS on connect, 25 for a local relay.</summary>
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured; see <see cref="MailSecurity"/>.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>The SMTP user name, when the server requires authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>The SMTP password (set it from a secret store or the environment, not a file in the repository).</summary>
    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Kefu &lt;no-reply@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// The address people open Kefu at (<c>https://kefu.example.com</c>), for links in mail. Required with
    /// <see cref="Host"/>: a link built from the request's Host header would let anyone send a reset link to a host of
    /// their choosing.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>True when a host is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    internal SecureSocketOptions SocketOptions => Security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>Null when valid, otherwise a message naming the wrong value.</summary>
    public string? Problem()
    {
        if (!IsConfigured)
        {
            return null;
        }

        if (Port is < 1 or > 65535)
        {
            return $"{Section}:Port: {Port} is not a TCP port (1-65535).";
        }

        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _))
        {
            return $"{Section}:From: set a sender address such as 'Kefu <no-reply@example.com>'.";
        }

        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return $"{Section}:PublicUrl: set the address people open Kefu at, such as https://kefu.example.com.";
        }

        return !string.IsNullOrEmpty(UserName) && string.IsNullOrEmpty(Password)
            ? $"{Section}:Password: required with {Section}:UserName."
            : null;
    }
}
