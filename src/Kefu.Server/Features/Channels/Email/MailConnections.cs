using Kefu.Server.Hosting.Mail;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>Connected, authenticated MailKit clients for an inbox's servers, with the configured timeout.</summary>
internal sealed class MailConnections(EmailSecrets secrets, IOptions<EmailOptions> options)
{
    public async Task<ImapClient> OpenImapAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = Timeout };
        try
        {
            await client.ConnectAsync(settings.ImapHost, settings.ImapPort, Socket(settings.ImapSecurity), cancellationToken);
            await client.AuthenticateAsync(settings.ImapUserName, secrets.Unprotect(settings.ImapPassword!), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<SmtpClient> OpenSmtpAsync(EmailSettings settings, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = Timeout };
        try
        {
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, Socket(settings.SmtpSecurity), cancellationToken);
            if (settings.SmtpUserName is { } user)
            {
                await client.AuthenticateAsync(user, secrets.Unprotect(settings.SmtpPassword!), cancellationToken);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private int Timeout => options.Value.TimeoutSeconds * 1000;

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
