using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Tickets;

/// <summary>
/// An admin sets up tickets from the browser at 1280×800: defines and edits a custom ticket field, sets a priority's SLA
/// and a tag rule on business hours, creates an e-mail inbox against the local mail pair and tests its connection (a
/// good login, then a wrong password reported as such); then the three pages in Chinese.
/// </summary>
public sealed class TicketSettingsTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Admin_DefinesFields_SetsSla_AndConnectsAnEmailInbox_InBothLanguages() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var page = await NewPageAsync("admin");
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);

        // 1. Ticket fields: a refusal beside its field, a list field created, then relabelled (key and type locked).
        await page.GotoAsync("/console/settings/ticket-fields");
        await Expect(page.Locator("[data-testid=ticket-fields-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("ticket-field-key").FillAsync("plan_" + suffix);
        await RadzenInputs.ChooseAsync(page, "ticket-field-type", "List");
        await page.GetByTestId("ticket-field-label-zh").FillAsync("套餐");
        await page.GetByTestId("ticket-field-options").FillAsync("Gold\nSilver");
        await page.GetByTestId("ticket-field-save").ClickAsync();
        await Expect(page.GetByTestId("field-error-labelEn")).ToBeVisibleAsync();
        await page.GetByTestId("ticket-field-label-en").FillAsync("Plan");
        await page.GetByTestId("ticket-field-save").ClickAsync();
        var row = page.Locator($"[data-testid=ticket-field-row][data-key=plan_{suffix}]");
        await Expect(row).ToBeVisibleAsync();
        await page.Locator("tr", new() { Has = row }).GetByTestId("ticket-field-edit").ClickAsync();
        await Expect(page.GetByTestId("ticket-field-form")).ToHaveAttributeAsync("data-editing", "true");
        await Expect(page.GetByTestId("ticket-field-key")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("ticket-field-fixed-hint")).ToContainTextAsync("cannot change");
        await page.GetByTestId("ticket-field-label-en").FillAsync("Service plan");
        await page.GetByTestId("ticket-field-options").FillAsync("Gold\nSilver\nBronze");
        await page.GetByTestId("ticket-field-save").ClickAsync();
        await Expect(page.Locator("tr", new() { Has = row })).ToContainTextAsync("Service plan");
        await Expect(page.Locator("tr", new() { Has = row }).GetByTestId("ticket-field-row-options")).ToHaveTextAsync("Gold, Silver, Bronze");
        Assert.False(await ScrollsSidewaysAsync(page), "the ticket fields page scrolls sideways");
        await page.ScreenshotAsync(new() { Path = Shot("fields-en") });

        // 2. SLA: the precedence explained; the normal priority's first reply; a tag rule refused, then on business hours.
        await page.GotoAsync("/console/settings/sla");
        await Expect(page.Locator("[data-testid=sla-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("sla-precedence")).ToContainTextAsync("tag rule");
        await Number(page, "sla-first-reply").FillAsync("90");
        await page.GetByTestId("sla-save").ClickAsync();
        await Expect(page.Locator("[data-testid=sla-row][data-scope='priority:normal']")).ToBeVisibleAsync();
        await RadzenInputs.ChooseAsync(page, "sla-scope", "Tag");
        await page.GetByTestId("sla-tag").FillAsync("two words");
        await Number(page, "sla-first-reply").FillAsync("30");
        await page.GetByTestId("sla-save").ClickAsync();
        await Expect(page.GetByTestId("field-error-tag")).ToBeVisibleAsync();
        var tag = "vip" + suffix;
        await page.GetByTestId("sla-tag").FillAsync(tag);
        await page.GetByTestId("sla-calendar").GetByText("Count only these business hours").ClickAsync();
        await page.GetByTestId("weekly-day-monday").GetByTestId("weekly-add").ClickAsync();
        await page.GetByTestId("sla-save").ClickAsync();
        await Expect(page.Locator($"[data-testid=sla-row][data-scope='tag:{tag}']")).ToBeVisibleAsync();
        var rules = await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-rules");
        var rule = rules!.Single(r => r.TryGetProperty("tag", out var t) && t.GetString() == tag);
        Assert.Equal((30, "mon 09:00-18:00"), (rule.GetProperty("firstReplyMinutes").GetInt32(), rule.GetProperty("businessHours").GetString()));
        var normal = (await api.GetFromJsonAsync<JsonElement[]>("/api/v1/tickets/sla-policies"))!.Single(p => p.GetProperty("priority").GetString() == "normal");
        Assert.Equal(90, normal.GetProperty("firstReplyMinutes").GetInt32());
        Assert.False(await ScrollsSidewaysAsync(page), "the SLA page scrolls sideways");
        await page.ScreenshotAsync(new() { Path = Shot("sla-en"), FullPage = true });

        // 3. An e-mail inbox from the inbox list, against the local mail pair; the test button's result.
        var parts = Environment.GetEnvironmentVariable("KEFU_TEST_MAIL")!.Split(':');
        var (host, smtpPort, imapPort) = (parts[0], parts[1], parts[2]);
        var user = $"settings-{suffix}";
        await page.GotoAsync("/console/settings/inboxes");
        await Expect(page.Locator("[data-testid=inboxes-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("inbox-new").ClickAsync();
        await page.GetByTestId("inbox-create-name").FillAsync("Mail " + suffix);
        await page.GetByTestId("inbox-create-channel").GetByText("E-mail").ClickAsync();
        await page.GetByTestId("email-imap-host").FillAsync(host);
        await Number(page, "email-imap-port").FillAsync(imapPort);
        await RadzenInputs.ChooseAsync(page, "email-imap-security", "None");
        await page.GetByTestId("email-imap-user").FillAsync(user);
        await page.GetByTestId("email-imap-password").FillAsync("kefu-test");
        await page.GetByTestId("email-smtp-host").FillAsync(host);
        await Number(page, "email-smtp-port").FillAsync(smtpPort);
        await RadzenInputs.ChooseAsync(page, "email-smtp-security", "None");
        await page.GetByTestId("email-from-address").FillAsync($"{user}@kefu.test");
        await page.GetByTestId("email-signature").FillAsync("Kind regards, the shop");
        await page.GetByTestId("inbox-create-submit").ClickAsync();
        await Expect(page.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("inbox-tab-email").ClickAsync();
        // The stored password never comes back: the box is empty, and says one is stored.
        await Expect(page.GetByTestId("email-imap-password")).ToHaveValueAsync("");
        await Expect(page.GetByTestId("email-imap-password-stored")).ToHaveTextAsync("Stored — leave empty to keep");
        Assert.DoesNotContain("kefu-test", await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(page.GetByTestId("email-signature")).ToHaveValueAsync("Kind regards, the shop");
        await page.GetByTestId("email-test").ClickAsync();
        await Expect(page.GetByTestId("email-test-result")).ToHaveAttributeAsync("data-imap", "ok", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("email-test-result")).ToHaveAttributeAsync("data-smtp", "ok");
        await page.GetByTestId("email-imap-password").FillAsync("wrong-password");
        await page.GetByTestId("email-save").ClickAsync();
        await Expect(page.GetByTestId("email-test-result")).ToHaveCountAsync(0);
        await page.GetByTestId("email-test").ClickAsync();
        await Expect(page.GetByTestId("email-test-result")).ToHaveAttributeAsync("data-imap", "login_failed", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("email-test-imap")).ToContainTextAsync("refused the user name or password");
        Assert.False(await ScrollsSidewaysAsync(page), "the e-mail tab scrolls sideways");
        await page.ScreenshotAsync(new() { Path = Shot("email-en"), FullPage = true });
        var inboxUrl = page.Url;

        // The same pages in Chinese.
        var zh = await NewPageAsync("zh", "zh-CN");
        await zh.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/settings/ticket-fields");
        await Expect(zh.Locator("[data-testid=ticket-fields-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.Locator("tr", new() { Has = zh.Locator($"[data-testid=ticket-field-row][data-key=plan_{suffix}]") })).ToContainTextAsync("套餐");
        await Expect(zh.GetByTestId("ticket-field-fixed-hint")).ToContainTextAsync("不可更改");
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese ticket fields page scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Shot("fields-zh") });
        await zh.GotoAsync("/console/settings/sla");
        await Expect(zh.Locator("[data-testid=sla-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.GetByTestId("sla-precedence")).ToContainTextAsync("标签规则");
        await Expect(zh.Locator($"[data-testid=sla-row][data-scope='tag:{tag}']")).ToContainTextAsync("标签");
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese SLA page scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Shot("sla-zh"), FullPage = true });
        await zh.GotoAsync(inboxUrl);
        await Expect(zh.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await zh.GetByTestId("inbox-tab-email").ClickAsync();
        await Expect(zh.GetByTestId("email-imap-password-stored")).ToHaveTextAsync("已保存，留空则保持不变");
        await zh.GetByTestId("email-test").ClickAsync();
        await Expect(zh.GetByTestId("email-test-imap")).ToContainTextAsync("服务器拒绝了用户名或密码", new() { Timeout = 30_000 });
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese e-mail tab scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Shot("email-zh"), FullPage = true });
    });

    private static ILocator Number(IPage page, string testId) => page.Locator($"[data-testid='{testId}'] input, input[data-testid='{testId}']");

    private static string Shot(string name) => Path.Combine(Path.GetTempPath(), $"kefu-tickets-settings-{name}.png");
}
