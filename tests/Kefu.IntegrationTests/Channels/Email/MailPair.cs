using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace Kefu.IntegrationTests.Channels.Email;

/// <summary>
/// A test that needs the real mail pair scripts/test.sh starts (SMTP writing one Maildir per recipient, dovecot
/// serving them over IMAP). Skipped, saying why, only when KEFU_TEST_MAIL is not set.
/// </summary>
public sealed class MailFactAttribute : FactAttribute
{
    public MailFactAttribute()
    {
        if (MailPair.Settings is null)
        {
            Skip = "KEFU_TEST_MAIL is not set: scripts/test.sh starts SMTP (python3-aiosmtpd) and IMAP (dovecot) on 127.0.0.1 and sets it to host:smtpPort:imapPort.";
        }
    }
}

/// <summary>The test mail servers: any mailbox name logs in with <see cref="Password"/>; mail to name+tag@… lands in name's box.</summary>
public static class MailPair
{
    public const string Password = "kefu-test";

    public static (string Host, int Smtp, int Imap)? Settings =>
        Environment.GetEnvironmentVariable("KEFU_TEST_MAIL")?.Split(':') is [var host, var smtp, var imap] ? (host, int.Parse(smtp, CultureInfo.InvariantCulture), int.Parse(imap, CultureInfo.InvariantCulture)) : null;

    /// <summary>A fresh mailbox name, so every test reads only its own mail.</summary>
    public static string NewBox(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static object SettingsRequest(string box, string? autoReply = null, string? fromName = "Shop support", bool? tickets = null) => new
    {
        imapHost = Settings!.Value.Host, imapPort = Settings.Value.Imap, imapSecurity = "none", imapUserName = box, imapPassword = Password,
        smtpHost = Settings.Value.Host, smtpPort = Settings.Value.Smtp, smtpSecurity = "none",
        fromAddress = $"{box}@kefu.test", fromName, signature = "Shop support team\n客服团队", autoReply, tickets,
    };

    /// <summary>Creates an e-mail inbox reading mailbox <paramref name="box"/>; its id.</summary>
    public static async Task<Guid> CreateInboxAsync(HttpClient admin, string box, string? autoReply = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/inboxes/email", new { name = "Mail " + box, settings = SettingsRequest(box, autoReply) }, KefuFactory.Json);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task SendAsync(MimeMessage mail)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(Settings!.Value.Host, Settings.Value.Smtp, SecureSocketOptions.None);
        await smtp.SendAsync(mail);
        await smtp.DisconnectAsync(true);
    }

    public static MimeMessage Mail(string from, string to, string subject, string text, string? html = null)
    {
        var mail = new MimeMessage { Subject = subject, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        mail.From.Add(MailboxAddress.Parse(from));
        mail.To.Add(MailboxAddress.Parse(to));
        mail.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return mail;
    }

    /// <summary>Every mail in a mailbox, read over IMAP, oldest first.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> ReadAsync(string box)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(Settings!.Value.Host, Settings.Value.Imap, SecureSocketOptions.None);
        await imap.AuthenticateAsync(box, Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var list = new List<MimeMessage>();
        foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.All))
        {
            list.Add(await imap.Inbox.GetMessageAsync(uid));
        }

        await imap.DisconnectAsync(true);
        return list;
    }

    /// <summary>Waits until the mailbox holds at least <paramref name="count"/> mails; returns them.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string box, int count, string what)
    {
        IReadOnlyList<MimeMessage> seen = [];
        await Wait.UntilAsync(async () => (seen = await ReadAsync(box)).Count >= count, what, 20);
        return seen;
    }
}
