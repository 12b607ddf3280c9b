using System.Net;
using System.Net.Http.Headers;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.ApiKeys;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.ApiKeys;

/// <summary>
/// Settings → API keys end to end: an admin creates a key (a refused form says why beside the field), sees it once,
/// uses it over HTTP, and revokes it; the page in both languages at a laptop's size.
/// </summary>
public sealed class ApiKeysPageTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Admin_CreatesAKey_SeesItOnce_UsesIt_AndRevokesIt() => RunAsync(async () =>
    {
        var admin = await NewPageAsync("admin");
        await admin.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(admin);
        await admin.GotoAsync("/console/settings/api-keys");
        await Expect(admin.Locator("[data-testid=api-keys-page][data-interactive=true]")).ToBeVisibleAsync();
        var before = await Server.DbAsync(db => db.Set<ApiKey>().CountAsync());

        await admin.GetByTestId("api-key-create").ClickAsync();
        var dialog = admin.GetByTestId("api-key-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByTestId("api-key-save").ClickAsync();
        await Expect(dialog.GetByTestId("field-error-name")).ToBeVisibleAsync();
        await dialog.GetByTestId("api-key-name").FillAsync("Shop <b>sync</b>");
        await dialog.GetByTestId("api-key-save").ClickAsync();
        await Expect(dialog.GetByTestId("field-error-permissions")).ToBeVisibleAsync();
        Assert.Equal(before, await Server.DbAsync(db => db.Set<ApiKey>().CountAsync()));

        await dialog.Locator("[data-testid=api-key-permission][data-permission=contacts]").ClickAsync();
        await dialog.GetByTestId("api-key-save").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var secret = (await admin.GetByTestId("api-key-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("kefu_", secret, StringComparison.Ordinal);
        var row = admin.Locator("[data-testid=api-key-row][data-name='Shop <b>sync</b>']");
        await Expect(row).ToContainTextAsync("Shop <b>sync</b>"); // a name is text, never markup
        await Expect(row.Locator("b")).ToHaveCountAsync(0);
        Assert.False(await ScrollsSidewaysAsync(admin), "the API keys page scrolls sideways with a new key shown");

        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/api/v1/teams", new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // Shown once: after "saved" and a reload, only the prefix is anywhere on the page.
        await admin.GetByTestId("api-key-done").ClickAsync();
        await admin.ReloadAsync();
        await Expect(admin.Locator("[data-testid=api-keys-page][data-interactive=true]")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await admin.ContentAsync(), StringComparison.Ordinal);
        await Expect(admin.GetByTestId("api-keys-grid")).ToContainTextAsync(secret[..13]);

        var revokeRow = admin.Locator("tr", new PageLocatorOptions { Has = admin.Locator("[data-testid=api-key-row][data-name='Shop <b>sync</b>']") });
        await revokeRow.GetByTestId("api-key-revoke").ClickAsync();
        await admin.Locator(".rz-dialog-confirm-buttons button").First.ClickAsync();
        await Expect(revokeRow.GetByTestId("api-key-revoked")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/contacts")).StatusCode);

        await LookAsync("en-US");
        await LookAsync("zh-CN");
    });

    /// <summary>The page and its dialog at a laptop's size in one language: nothing scrolls sideways.</summary>
    private async Task LookAsync(string locale)
    {
        var page = await NewPageAsync("look-" + locale, locale);
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GetByTestId("language-" + (locale == "zh-CN" ? "zh-CN" : "en")).ClickAsync();
        await page.GotoAsync("/console/settings/api-keys");
        await Expect(page.Locator("[data-testid=api-keys-page][data-interactive=true]")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the API keys page scrolls sideways in {locale}");
        await ShotAsync(page, "api-keys-" + locale);
        await page.GetByTestId("api-key-create").ClickAsync();
        await Expect(page.GetByTestId("api-key-dialog")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(page), $"the new-key dialog scrolls sideways in {locale}");
        await ShotAsync(page, "api-key-dialog-" + locale);
    }

    /// <summary>A look at the page for a person checking the layout (written only when KEFU_SHOTS names a folder).</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("KEFU_SHOTS") is { Length: > 0 } folder)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
        }
    }
}
