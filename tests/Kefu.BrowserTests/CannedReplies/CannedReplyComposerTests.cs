using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.CannedReplies;

/// <summary>Canned replies in the console: "/" in the composer inserts one, filled for the visitor and not sent; the management page in both languages.</summary>
public sealed class CannedReplyComposerTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Slash_InsertsACannedReplyWithTheContactsName_IntoTheComposer_WithoutSendingIt() => RunAsync(async () =>
    {
        var marker = "w" + Guid.NewGuid().ToString("N")[..6];
        using (var api = await AdminApiAsync())
        {
            (await api.PostAsJsonAsync("/api/v1/canned-replies", new { title = "Other", shortcut = marker + "other", textEn = "Something else" })).EnsureSuccessStatusCode();
            (await api.PostAsJsonAsync("/api/v1/canned-replies", new
            {
                title = "Where is my order", shortcut = marker + "order",
                textZh = "{{contact.name}}您好，我们正在查询。", textEn = "Hi {{contact.name}}, I am checking your order now. @(1+1) <b>bold</b>",
            })).EnsureSuccessStatusCode();
        }

        await VisitorAsync("visitor", "Where is my order?");
        var conversationId = await Server.LatestConversationAsync();
        var contactId = await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.ContactId).SingleAsync());
        await Server.DbAsync(db => db.Contacts.Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "Wang Fang")));
        var agent = await NewPageAsync("agent");
        await SignInAgentAsync(agent);
        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);
        var composer = agent.GetByTestId("composer");

        // "/" plus the start of the shortcut opens the list, filtered; Esc closes it and leaves the text alone.
        await composer.PressSequentiallyAsync("/" + marker);
        await Expect(agent.GetByTestId("canned-option")).ToHaveCountAsync(2);
        await composer.PressAsync("Escape");
        await Expect(agent.GetByTestId("canned-picker")).ToHaveCountAsync(0);
        await Expect(composer).ToHaveValueAsync("/" + marker);

        // Typing on reopens it; arrows move, Enter inserts the chosen one (not the other, not sent).
        await composer.PressSequentiallyAsync("o");
        await Expect(agent.GetByTestId("canned-option")).ToHaveCountAsync(2);
        var wanted = agent.Locator($"[data-testid=canned-option][data-shortcut={marker}order]");
        if (await wanted.GetAttributeAsync("aria-selected") != "true")
        {
            await composer.PressAsync("ArrowDown");
        }

        await Expect(wanted).ToHaveAttributeAsync("aria-selected", "true");
        await composer.PressAsync("Enter");

        await Expect(composer).ToHaveValueAsync("Hi Wang Fang, I am checking your order now. @(1+1) <b>bold</b>");
        await Expect(agent.GetByTestId("canned-picker")).ToHaveCountAsync(0);
        await Expect(agent.Locator("[data-testid=message][data-sender=agent]")).ToHaveCountAsync(0);
        Assert.Equal(0, await Server.DbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversationId && m.SenderType == Kefu.Server.Features.Conversations.Contracts.SenderType.Agent)));

        // A word starting with "/" later in the draft works too, with the mouse.
        await composer.PressSequentiallyAsync(" /" + marker + "oth");
        await agent.Locator($"[data-testid=canned-option][data-shortcut={marker}other]").ClickAsync();
        await Expect(composer).ToHaveValueAsync("Hi Wang Fang, I am checking your order now. @(1+1) <b>bold</b> Something else");

        // Edited, then sent like anything typed.
        await agent.GetByTestId("send").ClickAsync();
        await Expect(ConsoleMessages(agent, "Hi Wang Fang, I am checking your order now. @(1+1) <b>bold</b> Something else", "agent")).ToHaveCountAsync(1);
        Assert.False(await ScrollsSidewaysAsync(agent));
        AssertNoDialogs();
    });

    [Fact]
    public Task ManagementPage_CreatesAReply_ShowsTheErrorBesideTheField_InBothLanguages() => RunAsync(async () =>
    {
        var marker = "m" + Guid.NewGuid().ToString("N")[..6];
        foreach (var locale in new[] { "en-US", "zh-CN" })
        {
            var page = await NewPageAsync("admin-" + locale, locale);
            await SignInAgentAsync(page);
            await page.GotoAsync("/console/canned-replies");
            await Expect(page.Locator("[data-testid=canned-page][data-interactive=true]")).ToBeVisibleAsync();
            await page.GetByTestId("canned-new").ClickAsync();
            await Expect(page.GetByTestId("canned-dialog")).ToBeVisibleAsync();

            // Radzen focuses the dialog's first field 500 ms after it opens. Typing before that lets the late focus
            // move the caret to the title in the middle of a later fill (the flaky "text in the title" failure), so
            // the test waits for it.
            var title = page.GetByTestId("canned-title");
            await Expect(title).ToBeFocusedAsync();
            await title.FillAsync("Thanks " + locale);
            await page.GetByTestId("canned-shortcut").FillAsync(marker + locale);
            await page.GetByTestId("canned-text-en").FillAsync("Thanks {{7*7}}");
            await page.GetByTestId("canned-save").ClickAsync();
            await Expect(page.GetByTestId("field-error-textEn")).ToContainTextAsync("{{7*7}}");
            Assert.Equal(0, await Server.DbAsync(db => db.CannedReplies.CountAsync(r => r.Shortcut == marker + locale)));

            // The error re-rendered the dialog: the textarea still holds the refused text before it is replaced, and
            // both fields hold what was typed before saving.
            var textEn = page.GetByTestId("canned-text-en");
            await Expect(textEn).ToHaveValueAsync("Thanks {{7*7}}");
            await textEn.FillAsync("Thanks {{contact.name}}!");
            await Expect(textEn).ToHaveValueAsync("Thanks {{contact.name}}!");
            await Expect(title).ToHaveValueAsync("Thanks " + locale);
            await page.GetByTestId("canned-save").ClickAsync();
            await Expect(page.GetByTestId("canned-dialog")).ToHaveCountAsync(0);
            await Expect(page.Locator($"[data-testid=canned-row][data-shortcut='{marker}{locale}']")).ToHaveCountAsync(1);
            Assert.False(await ScrollsSidewaysAsync(page));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"canned-page-{locale}.png") });
        }

        AssertNoDialogs();
    });

    [Fact]
    public Task ReplyWithFiles_EditorUpload_InsertStagesTheFiles_OneRemoved_SendReachesTheWidget_InBothLanguages() => RunAsync(async () =>
    {
        var marker = "f" + Guid.NewGuid().ToString("N")[..6];
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/canned-replies");
        await Expect(admin.Locator("[data-testid=canned-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByTestId("canned-new").ClickAsync();
        var title = admin.GetByTestId("canned-title");
        await Expect(title).ToBeFocusedAsync(); // Radzen's late focus (see the test above)
        await title.FillAsync("Label " + marker);
        await admin.GetByTestId("canned-shortcut").FillAsync(marker);
        await admin.GetByTestId("canned-text-en").FillAsync("Here is your return label.");
        // Two files, one at a time as the editor takes them; the list shows each with its size.
        await admin.GetByTestId("canned-file-input").SetInputFilesAsync(new FilePayload { Name = "退货标签.png", MimeType = "image/png", Buffer = Png.Solid(24, 16, 0x40, 0x80, 0xE0) });
        await Expect(admin.GetByTestId("canned-file")).ToHaveCountAsync(1);
        await admin.GetByTestId("canned-file-input").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "not for this visitor"u8.ToArray() });
        await Expect(admin.GetByTestId("canned-file")).ToHaveCountAsync(2);
        await Expect(admin.Locator("[data-testid=canned-file][data-name='退货标签.png']")).ToContainTextAsync(" B");
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-canned-editor-en-US.png") });
        await admin.GetByTestId("canned-save").ClickAsync();
        await Expect(admin.GetByTestId("canned-dialog")).ToHaveCountAsync(0);
        var replyFiles = await Server.DbAsync(db => db.CannedReplies.Where(r => r.Shortcut == marker).Select(r => r.AttachmentIds).SingleAsync());
        Assert.Equal(2, replyFiles.Split(',').Length);

        // The editor in Chinese lists the saved files.
        var zh = await NewPageAsync("admin-zh", "zh-CN");
        await SignInAgentAsync(zh);
        await zh.GotoAsync("/console/canned-replies");
        await Expect(zh.Locator("[data-testid=canned-page][data-interactive=true]")).ToBeVisibleAsync();
        await zh.GetByTestId("canned-search").FillAsync(marker);
        await Expect(zh.GetByTestId("canned-row")).ToHaveCountAsync(1);
        await zh.GetByTestId("canned-edit").ClickAsync();
        await Expect(zh.GetByTestId("canned-title")).ToBeFocusedAsync(); // the dialog has finished opening (for the screenshot)
        await Expect(zh.GetByTestId("canned-file")).ToHaveCountAsync(2);
        await Expect(zh.GetByTestId("canned-files")).ToContainTextAsync("附件");
        Assert.False(await ScrollsSidewaysAsync(zh));
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-canned-editor-zh-CN.png") });

        // Inserting the reply stages its files under the composer; the agent drops the text file and sends.
        var widget = await VisitorAsync("visitor", "I need a return label " + marker);
        var conversationId = await Server.LatestConversationAsync();
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        var composer = admin.GetByTestId("composer");
        await composer.PressSequentiallyAsync("/" + marker);
        await Expect(admin.GetByTestId("canned-option")).ToHaveCountAsync(1);
        await composer.PressAsync("Enter");
        await Expect(composer).ToHaveValueAsync("Here is your return label.");
        await Expect(admin.GetByTestId("staged-file")).ToHaveCountAsync(2);
        await admin.Locator("[data-testid=staged-file][data-name='notes.txt'] [data-testid=staged-file-remove]").ClickAsync();
        await Expect(admin.GetByTestId("staged-file")).ToHaveCountAsync(1);
        Assert.False(await ScrollsSidewaysAsync(admin));
        await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-canned-composer-en-US.png") });
        await admin.GetByTestId("send").ClickAsync();

        // The visitor's widget shows the text and the image, which really loads; the removed file was never sent.
        await Expect(widget.Locator("[data-testid=kefu-message][data-sender=agent]").Filter(new() { HasText = "Here is your return label." })).ToHaveCountAsync(1);
        var image = widget.Locator("[data-testid=kefu-message][data-sender=agent] img");
        await Expect(image).ToHaveCountAsync(1);
        await Expect(image).ToHaveAttributeAsync("alt", "退货标签.png");
        await Expect(image).ToHaveJSPropertyAsync("naturalWidth", 24, new() { Timeout = 15_000 });
        await Expect(admin.GetByTestId("staged-file")).ToHaveCountAsync(0);
        Assert.Equal(1, await Server.DbAsync(db => db.Messages.CountAsync(m => m.ConversationId == conversationId && m.AttachmentId != null)));
        AssertNoDialogs();
    });
}
