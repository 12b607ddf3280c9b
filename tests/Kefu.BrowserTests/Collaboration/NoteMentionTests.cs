using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Collaboration;

/// <summary>A private note with an @mention, from the composer's autocomplete to the colleague's bell, sound and browser notification, the bell's link to the highlighted note, and never to the visitor.</summary>
public sealed class NoteMentionTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task AgentA_MentionsBInANote_BsBellShowsIt_AndOpeningItShowsTheNoteAsPrivate_WhichTheVisitorNeverSees() => RunAsync(async () =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (_, amyEmail) = await Server.CreateAgentAsync("Amy " + suffix);
        var (_, boEmail) = await Server.CreateAgentAsync("Bo " + suffix);
        var visitor = await VisitorAsync("visitor", "My parcel is late");
        var conversationId = await Server.LatestConversationAsync();
        var amy = await SignInAsAsync("amy", amyEmail);
        var bo = await SignInAsAsync("bo", boEmail, "zh-CN", async page =>
        {
            await page.Context.GrantPermissionsAsync(["notifications"]);
            await page.Context.AddInitScriptAsync(WorkspaceRig.AlertProbe);
        });

        // Bo lets the browser show notifications (the switch asks the browser once); the sound is on by default.
        await bo.GetByTestId("bell-button").ClickAsync();
        await bo.GetByTestId("pref-desktop").ClickAsync();
        await Expect(bo.GetByTestId("pref-desktop")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await Expect(bo.GetByTestId("pref-sound")).ToHaveClassAsync(new Regex("rz-switch-checked"));
        await bo.GetByTestId("bell-button").ClickAsync();

        await amy.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(amy);
        var input = amy.GetByTestId("note-input");
        await input.ClickAsync();
        await input.PressSequentiallyAsync("@bo " + suffix[..3]);
        await Expect(amy.GetByTestId("mention-option")).ToHaveCountAsync(1);
        await Expect(amy.GetByTestId("mention-option")).ToContainTextAsync("Bo " + suffix);
        await input.PressAsync("Enter"); // picks the suggestion; adds no line
        await Expect(input).ToHaveValueAsync($"@Bo {suffix} ");
        await Expect(amy.GetByTestId("mention-list")).ToHaveCountAsync(0);
        await input.PressSequentiallyAsync("can you call the courier? <b>{{7*7}}</b>");
        await input.PressAsync("Control+Enter");

        var written = amy.GetByTestId("note");
        await Expect(written.GetByTestId("note-text")).ToHaveTextAsync($"@Bo {suffix} can you call the courier? <b>{{{{7*7}}}}</b>"); // text, not markup
        await Expect(written.GetByTestId("note-label")).ToHaveTextAsync("Private note");
        await Expect(input).ToHaveValueAsync("");

        await Expect(bo.GetByTestId("bell-count")).ToHaveTextAsync("1");

        // Bo, elsewhere in the console, hears it and gets a browser notification in his language, once.
        await bo.WaitForFunctionAsync("() => window.__kefuNotifications.length > 0 && window.__kefuPlays.length > 0");
        var shown = Assert.Single((await bo.EvaluateAsync<JsonElement>("() => window.__kefuNotifications")).EnumerateArray());
        Assert.Equal("有人在备注中提及了你", shown.GetProperty("title").GetString());
        Assert.Contains("Amy " + suffix, shown.GetProperty("body").GetString(), StringComparison.Ordinal);
        var play = Assert.Single((await bo.EvaluateAsync<JsonElement>("() => window.__kefuPlays")).EnumerateArray());
        Assert.EndsWith("/notify.wav", play.GetProperty("src").GetString(), StringComparison.Ordinal);
        await bo.GetByTestId("bell-button").ClickAsync();
        var line = bo.Locator("[data-testid=bell-item][data-kind=mention]");
        await Expect(line).ToHaveAttributeAsync("data-conversation-id", conversationId.ToString());
        await Expect(line.Locator(".what")).ToContainTextAsync("Amy " + suffix);
        // The line carries the note: clicking it opens the conversation at the note, scrolled to and highlighted.
        var noteId = await written.GetAttributeAsync("data-note-id");
        await Expect(line).ToHaveAttributeAsync("data-note-id", noteId!);
        await line.ClickAsync();
        await bo.WaitForURLAsync(url => url.EndsWith($"/console/conversations/{conversationId}?note={noteId}", StringComparison.Ordinal));
        var seen = bo.GetByTestId("note");
        await Expect(seen).ToHaveAttributeAsync("data-note-id", noteId!);
        await Expect(seen).ToHaveClassAsync(new Regex(@"\bnote-focus\b"));
        await Expect(seen).ToBeInViewportAsync();
        Assert.Equal("solid", await seen.Locator(".bubble").EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));
        await bo.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-prod-mention-opened-zh.png") });
        await Expect(seen).ToHaveAttributeAsync("data-mentions-me", "true");
        await Expect(seen.GetByTestId("note-text")).ToContainTextAsync("can you call the courier?");
        Assert.Equal("rgb(255, 248, 219)", await seen.Locator(".bubble").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.NotEqual(await seen.Locator(".bubble").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"),
            await bo.GetByTestId("message").First.Locator(".bubble").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Expect(bo.GetByTestId("bell-count")).ToHaveCountAsync(0);
        Assert.False(await ScrollsSidewaysAsync(bo));
        Assert.False(await ScrollsSidewaysAsync(amy));

        // Only the writer may change the note: Amy edits it, and Bo's open conversation shows the new text.
        await Expect(seen.GetByTestId("note-edit")).ToHaveCountAsync(0);
        await written.GetByTestId("note-edit").ClickAsync();
        var edit = written.GetByTestId("note-edit-input");
        await Expect(edit).ToHaveValueAsync($"@Bo {suffix} can you call the courier? <b>{{{{7*7}}}}</b>");
        await edit.FillAsync($"@Bo {suffix} please call the courier today");
        await amy.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-prod-note-edit-en.png") });
        await written.GetByTestId("note-edit-save").ClickAsync();
        await Expect(written.GetByTestId("note-text")).ToHaveTextAsync($"@Bo {suffix} please call the courier today");
        await Expect(seen.GetByTestId("note-text")).ToHaveTextAsync($"@Bo {suffix} please call the courier today");
        await bo.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-prod-note-edited-zh.png") });

        // The writer's own bell has no line of it; the visitor's widget never shows the note.
        await amy.GetByTestId("bell-button").ClickAsync();
        await Expect(amy.Locator("[data-testid=bell-item][data-kind=mention]")).ToHaveCountAsync(0);
        await VisitorSendsAsync(visitor, "Still waiting");
        await Expect(WidgetMessages(visitor, "Still waiting")).ToHaveCountAsync(1);
        await Expect(WidgetMessages(visitor, "courier")).ToHaveCountAsync(0);
        AssertNoDialogs();
    });

    [Fact]
    public Task UnknownMention_ShowsTheErrorUnderTheNote_AndKeepsTheText() => RunAsync(async () =>
    {
        var (_, amyEmail) = await Server.CreateAgentAsync("Amy " + Guid.NewGuid().ToString("N")[..6]);
        await VisitorAsync("visitor", "hello");
        var conversationId = await Server.LatestConversationAsync();
        var amy = await SignInAsAsync("amy", amyEmail);
        await amy.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(amy);

        await amy.GetByTestId("note-input").FillAsync("ask @nobody-at-all about it");
        await amy.GetByTestId("note-add").ClickAsync();

        await Expect(amy.GetByTestId("note-error")).ToContainTextAsync(new Regex("not an agent or team of this workspace"));
        await Expect(amy.GetByTestId("note-input")).ToHaveValueAsync("ask @nobody-at-all about it");
        await Expect(amy.GetByTestId("note")).ToHaveCountAsync(0);
    });
}
