using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Kefu.BrowserTests.Channels;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Tickets;

/// <summary>
/// An e-mail inbox that makes tickets: the customer's mail shows up in the open ticket list live, the agent answers on
/// the ticket's page, and the answer leaves as mail threaded under the customer's; the list and the page in both
/// languages at 1280×800 (screenshots in the temp folder, <c>kefu-tickets-*.png</c>).
/// </summary>
public sealed class EmailTicketPageTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    private const string Password = "kefu-test";

    [MailFact]
    public Task AMailTicket_AppearsLive_AndTheAgentsReplyLeavesAsThreadedMail() => RunAsync(async () =>
    {
        var parts = Environment.GetEnvironmentVariable("KEFU_TEST_MAIL")!.Split(':');
        var (host, smtpPort, imapPort) = (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        var support = $"support-{Guid.NewGuid():N}"[..20];
        var customer = $"customer-{Guid.NewGuid():N}"[..21];
        using var api = await AdminApiAsync();
        var created = await api.PostAsJsonAsync("/api/v1/inboxes/email", new
        {
            name = "Ticket mail",
            settings = new
            {
                imapHost = host, imapPort, imapSecurity = "None", imapUserName = support, imapPassword = Password,
                smtpHost = host, smtpPort, smtpSecurity = "None", fromAddress = $"{support}@kefu.test", fromName = "Shop support", tickets = true,
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var list = await NewPageAsync("list");
        await list.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(list);
        await list.GotoAsync("/console/tickets");
        await Expect(list.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();

        var subject = "Kettle leaks " + Guid.NewGuid().ToString("N")[..6];
        var mail = new MimeMessage { Subject = subject, MessageId = MimeUtils.GenerateMessageId("customer.test") };
        mail.From.Add(new MailboxAddress("Kim Kettle", $"{customer}@example.test"));
        mail.To.Add(MailboxAddress.Parse($"{support}@kefu.test"));
        mail.Body = new BodyBuilder
        {
            TextBody = "My kettle leaks <b>badly</b>.",
            HtmlBody = "<p>My kettle leaks <b>badly</b>.</p><img alt=\"pixel\" src=\"https://tracker.example/pixel.gif\">",
        }.ToMessageBody();
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync(host, smtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(mail);
            await smtp.DisconnectAsync(true);
        }

        var row = list.Locator("[data-testid=tickets-grid] tr").Filter(new() { HasText = subject });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 40_000 }); // live: the list was open before the mail came
        Assert.False(await ScrollsSidewaysAsync(list), "the ticket list scrolls sideways");
        await list.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-list-en.png") });
        await row.GetByTestId("ticket-link").ClickAsync();
        await Expect(list.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(list.Locator("[data-testid=ticket-entry][data-kind=customer]").GetByTestId("ticket-entry-text")).ToHaveTextAsync("My kettle leaks <b>badly</b>.");
        // The HTML mail behind the line: on request, in a sandboxed frame, remote images blocked until asked for.
        await list.GetByTestId("ticket-mail-show").ClickAsync();
        var frame = list.GetByTestId("ticket-mail-frame");
        await Expect(frame).ToHaveAttributeAsync("sandbox", "");
        await Expect(list.FrameLocator("[data-testid=ticket-mail-frame]").Locator("b")).ToHaveTextAsync("badly");
        await Expect(list.GetByTestId("ticket-mail-images-blocked")).ToBeVisibleAsync();
        Assert.DoesNotContain("https:", await frame.GetAttributeAsync("srcdoc") is { } blocked ? blocked[..blocked.IndexOf("<body>", StringComparison.Ordinal)] : "", StringComparison.Ordinal);
        await list.GetByTestId("ticket-mail-load-images").ClickAsync();
        await Expect(list.GetByTestId("ticket-mail-images-blocked")).ToHaveCountAsync(0);
        Assert.Contains("img-src data: https:", await frame.GetAttributeAsync("srcdoc") ?? "", StringComparison.Ordinal);

        await list.GetByTestId("ticket-reply-text").FillAsync("A new kettle ships today.");
        await list.GetByTestId("ticket-reply-send").ClickAsync();
        await Expect(list.Locator("[data-testid=ticket-entry][data-kind=reply]")).ToContainTextAsync("A new kettle ships today.");
        Assert.False(await ScrollsSidewaysAsync(list), "the ticket page scrolls sideways");
        await list.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-detail-en.png") });

        var reply = await TestMailbox.FirstMailAsync(host, imapPort, customer, Password);
        Assert.Equal(mail.MessageId, reply.InReplyTo);
        Assert.Equal("Re: " + subject, reply.Subject);
        Assert.Contains("A new kettle ships today.", reply.TextBody, StringComparison.Ordinal);

        var zh = await NewPageAsync("zh", "zh-CN");
        await zh.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/tickets");
        await Expect(zh.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese ticket list scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-list-zh.png") });
        await zh.GotoAsync(list.Url);
        await Expect(zh.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.GetByTestId("ticket-reply-send")).ToContainTextAsync("发送回复");
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese ticket page scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-detail-zh.png") });
    });
}
