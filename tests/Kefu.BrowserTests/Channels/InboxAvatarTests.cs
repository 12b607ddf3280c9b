using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Channels;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Channels;

/// <summary>
/// The inbox avatar as an admin sets it and a visitor sees it: a refused file shows its error beside the field, an
/// uploaded one appears in the live preview at once and in the real widget on the demo page, in both languages; each
/// accepted format decodes in the browser; removing it brings the initial back.
/// </summary>
public sealed partial class InboxAvatarTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Admin_UploadsAnAvatar_ThePreviewShowsItAtOnce_AndTheWidgetOnTheDemoPageShowsItInItsHeader() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var demo = (await api.GetFromJsonAsync<JsonElement>("/api/v1/inboxes"))[0]; // the demo page embeds the oldest inbox
        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync($"/console/settings/inboxes/{demo.GetProperty("id").GetString()}");
        await Expect(admin.Locator("[data-testid=inbox-settings-page][data-interactive=true]")).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Appearance" }).ClickAsync();
        var preview = admin.FrameLocator("[data-testid=appearance-preview]");
        await Expect(preview.GetByTestId("kefu-avatar")).ToHaveAttributeAsync("data-kind", "initial");

        // An SVG is refused beside the field, whatever it is called; nothing changes.
        await admin.GetByTestId("appearance-avatar-input").SetInputFilesAsync(new FilePayload
        {
            Name = "logo.png", MimeType = "image/png",
            Buffer = Encoding.UTF8.GetBytes("""<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>"""),
        });
        await Expect(admin.GetByTestId("field-error-avatar")).ToContainTextAsync("PNG, JPEG, WebP or GIF");
        await Expect(admin.GetByTestId("appearance-avatar-none")).ToBeVisibleAsync();

        // A real picture: saved at once, in the card and in the live preview (header and beside the bot's reply).
        await admin.GetByTestId("appearance-avatar-input").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Png.Solid(64, 64, 0xE0, 0x40, 0x10) });
        await Expect(admin.GetByTestId("appearance-avatar-image")).ToHaveAttributeAsync("src", AvatarAddress());
        await Expect(admin.GetByTestId("field-error-avatar")).ToHaveCountAsync(0);
        var previewImage = preview.GetByTestId("kefu-avatar").Locator("img");
        await Expect(previewImage).ToHaveAttributeAsync("src", AvatarAddress());
        await Expect(previewImage).ToHaveAttributeAsync("alt", $"{demo.GetProperty("name").GetString()} avatar");
        Assert.Equal(64, await previewImage.EvaluateAsync<int>("async img => { await img.decode(); return img.naturalWidth; }"));
        await Expect(preview.Locator("[data-sender=bot] [data-testid=kefu-message-avatar] img")).ToHaveAttributeAsync("src", AvatarAddress());
        Assert.True(await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "no horizontal scroll");
        var src = await previewImage.GetAttributeAsync("src");

        // The real widget on the demo page, for a visitor in English and one in Chinese.
        foreach (var (locale, alt) in new[] { ("en-US", " avatar"), ("zh-CN", "的头像") })
        {
            var visitor = await NewPageAsync("visitor-" + locale, locale);
            var widget = await OpenWidgetAsync(visitor);
            var header = widget.GetByTestId("kefu-avatar").Locator("img");
            await Expect(header).ToHaveAttributeAsync("src", src!);
            Assert.EndsWith(alt, await header.GetAttributeAsync("alt"), StringComparison.Ordinal);
            Assert.Equal(64, await header.EvaluateAsync<int>("async img => { await img.decode(); return img.naturalWidth; }"));
        }

        // Removing it brings the initial back, in the card and the preview.
        await admin.GetByTestId("appearance-avatar-remove").ClickAsync();
        await Expect(admin.GetByTestId("appearance-avatar-none")).ToBeVisibleAsync();
        await Expect(preview.GetByTestId("kefu-avatar")).ToHaveAttributeAsync("data-kind", "initial");
        AssertNoDialogs();
    });

    [Fact]
    public Task EveryAcceptedFormat_DecodesInTheBrowser_AtTheSizeTheServerRead() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var created = await api.PostAsJsonAsync("/api/v1/inboxes", new { name = "Formats", allowedOrigins = Array.Empty<string>() });
        var inbox = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var page = await NewPageAsync("viewer");
        await page.GotoAsync("/");
        foreach (var extension in new[] { "png", "jpg", "webp", "gif" })
        {
            var file = new ByteArrayContent(TestImages.Make(extension, 48, 40));
            file.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
            using var form = new MultipartFormDataContent { { file, "file", "avatar" } };
            var response = await api.PutAsync($"/api/v1/inboxes/{inbox}/avatar", form);
            Assert.True(response.IsSuccessStatusCode, $"{extension}: {(int)response.StatusCode}");
            var url = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("avatarUrl").GetString();

            // Served with nosniff and its own type: the browser decodes it as that type or not at all.
            var size = await page.EvaluateAsync<int[]>(
                "async url => { const img = new Image(); img.src = url; await img.decode(); return [img.naturalWidth, img.naturalHeight]; }", url);
            Assert.True(size is [48, 40], $"{extension}: decoded as {string.Join('x', size)}");
        }
    });

    [GeneratedRegex("/media/avatars/[0-9a-f]{64}\\.png$")]
    private static partial Regex AvatarAddress();
}
