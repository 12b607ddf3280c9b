using Kefu.IntegrationTests.Infrastructure;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit;
using MailKit.Security;
using MimeKit;

namespace Kefu.BrowserTests.Infrastructure;

/// <summary>Reads the test mail server (see <c>scripts/mail/</c>) over IMAP, as a customer's mail program would.</summary>
public static class TestMailbox
{
    /// <summary>The first mail in <paramref name="box"/>, waited for: Kefu sends from its durable outbox, after the reply is stored.</summary>
    public static async Task<MimeMessage> FirstMailAsync(string host, int imapPort, string box, string password) =>
        (await Wait.ForAsync(() => TryFirstAsync(host, imapPort, box, password), mail => mail is not null, $"a mail in {box}", 20))!;

    private static async Task<MimeMessage?> TryFirstAsync(string host, int imapPort, string box, string password)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(host, imapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(box, password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var uids = await imap.Inbox.SearchAsync(SearchQuery.All);
        var found = uids.Count > 0 ? await imap.Inbox.GetMessageAsync(uids[0]) : null;
        await imap.DisconnectAsync(true);
        return found;
    }
}
