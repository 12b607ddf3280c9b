using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Channels;

/// <summary>A browser test that needs the mail pair of scripts/test.sh; skipped, saying why, only without KEFU_TEST_MAIL.</summary>
public sealed class MailFactAttribute : FactAttribute
{
    public MailFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("KEFU_TEST_MAIL") is null)
        {
            Skip = "KEFU_TEST_MAIL is not set: scripts/test.sh starts SMTP (python3-aiosmtpd) and IMAP (dovecot) on 127.0.0.1 and sets it to host:smtpPort:imapPort.";
        }
    }
}

/// <summary>An e-mail conversation in the console: listed with its channel, the original HTML in a sandboxed frame with remote images blocked until asked for, and an agent's reply that leaves as mail.</summary>
public sealed class EmailConversationTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "kefu-test";

    [MailFact]
    public Task AnEmailConversation_ShowsItsChannel_TheSandboxedOriginal_AndTakesAReply() => RunAsync(async () =>
    {
        var parts = Environment.GetEnvironmentVariable("KEFU_TEST_MAIL")!.Split(':');
        var (host, smtpPort, imapPort) = (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        var support = $"support-{Guid.NewGuid():N}"[..20];
        var customer = $"customer-{Guid.NewGuid():N}"[..21];
        using var api = await AdminApiAsync();
        var created = await api.PostAsJsonAsync("/api/v1/inboxes/email", new
        {
            name = "Support mail",
            settings = new
            {
                imapHost = host, imapPort, imapSecurity = "None", imapUserName = support, imapPassword = Password,
                smtpHost = host, smtpPort, smtpSecurity = "None", fromAddress = $"{support}@kefu.test", fromName = "Shop support",
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var mail = new MimeMessage { Subject = "Broken kettle", MessageId = MimeUtils.GenerateMessageId("customer.test") };
        mail.From.Add(new MailboxAddress("Kim Kettle", $"{customer}@example.test"));
        mail.To.Add(MailboxAddress.Parse($"{support}@kefu.test"));
        mail.Body = new BodyBuilder
        {
            TextBody = "My kettle leaks.",
            HtmlBody = "<p>My kettle <b>leaks</b>.</p><img id=\"pixel\" src=\"https://tracker.example/pixel.png\"><script>document.title='owned'</script>",
        }.ToMessageBody();
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync(host, smtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(mail);
            await smtp.DisconnectAsync(true);
        }

        var page = await NewPageAsync("agent");
        await SignInAgentAsync(page);
        var item = page.Locator("[data-testid=conversation-item]").Filter(new() { HasText = "Support mail" });
        await Expect(item).ToHaveCountAsync(1, new() { Timeout = 40_000 }); // a new inbox's watcher starts within a second here
        await Expect(item.GetByTestId("conversation-channel")).ToContainTextAsync("E-mail · Support mail");
        await item.ClickAsync();
        // A new thread's message is its subject, a blank line, then the text.
        await Expect(page.Locator("[data-testid=message][data-sender=visitor]").Filter(new() { HasText = "My kettle leaks." })).ToHaveCountAsync(1);

        await page.GetByTestId("mail-show-original").ClickAsync();
        var frame = page.GetByTestId("mail-frame");
        await Expect(frame).ToHaveAttributeAsync("sandbox", "");
        await Expect(page.FrameLocator("[data-testid=mail-frame]").Locator("b")).ToHaveTextAsync("leaks");
        Assert.Equal(0, await page.FrameLocator("[data-testid=mail-frame]").Locator("script").CountAsync());
        Assert.DoesNotContain("https:", await frame.GetAttributeAsync("srcdoc") is { } doc ? doc[..doc.IndexOf("<body>", StringComparison.Ordinal)] : "x", StringComparison.Ordinal);
        await Expect(page.GetByTestId("mail-images-blocked")).ToBeVisibleAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-email-conversation-en.png") });

        await page.GetByTestId("mail-load-images").ClickAsync();
        await Expect(page.GetByTestId("mail-images-blocked")).ToHaveCountAsync(0);
        Assert.Contains("img-src data: https:", await frame.GetAttributeAsync("srcdoc"), StringComparison.Ordinal);

        await AgentSendsAsync(page, "Sorry! A new kettle is on its way.");
        var reply = await TestMailbox.FirstMailAsync(host, imapPort, customer, Password);
        Assert.Equal(mail.MessageId, reply.InReplyTo);
        Assert.Contains("A new kettle is on its way.", reply.TextBody, StringComparison.Ordinal);

        // The same page in Chinese: the layout holds (no CJK font here, so only the layout is checked).
        var zh = await NewPageAsync("agent-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.Locator("[data-testid=conversation-item]").Filter(new() { HasText = "Support mail" }).ClickAsync();
        await zh.GetByTestId("mail-show-original").ClickAsync();
        await Expect(zh.GetByTestId("mail-frame")).ToBeVisibleAsync();
        Assert.False(await zh.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth"));
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-email-conversation-zh.png") });
    });
}
