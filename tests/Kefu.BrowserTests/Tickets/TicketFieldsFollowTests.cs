using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Tickets;

/// <summary>The ticket page's custom fields (a wrong value refused next to the field, a good one saved) and the follow button, in English and Chinese at 1280×800.</summary>
public sealed class TicketFieldsFollowTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Agent_EditsCustomFields_AndFollowsTheTicket_InBothLanguages() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        (await api.PostAsJsonAsync("/api/v1/tickets/fields", new { key = "amount_" + suffix, labelEn = "Amount", labelZh = "金额", type = "number" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/tickets/fields", new { key = "plan_" + suffix, labelEn = "Plan", labelZh = "套餐", type = "list", options = new[] { "Gold", "Silver" } })).EnsureSuccessStatusCode();
        var created = await api.PostAsJsonAsync("/api/v1/tickets", new { subject = "Refund for order 42", fields = new Dictionary<string, object> { ["plan_" + suffix] = "Gold" } });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var page = await NewPageAsync("agent");
        await page.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(page);
        await page.GotoAsync($"/console/tickets/{id}");
        await Expect(page.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=ticket-field][data-key=plan_{suffix}]")).ToContainTextAsync("Gold");

        await page.GetByTestId("ticket-field-amount_" + suffix).FillAsync("twelve");
        await page.GetByTestId("ticket-fields-save").ClickAsync();
        await Expect(page.GetByTestId("ticket-field-error")).ToContainTextAsync("Amount");
        await page.GetByTestId("ticket-field-amount_" + suffix).FillAsync("12.50");
        await page.GetByTestId("ticket-fields-save").ClickAsync();
        await Expect(page.GetByTestId("ticket-field-error")).ToHaveCountAsync(0);
        // Stored as an invariant number: read back through the API.
        static bool Saved(string? value) => decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == 12.5m;
        await Wait.ForAsync(
            async () => (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{id}")).GetProperty("fields").EnumerateArray()
                .Where(f => f.GetProperty("key").GetString() == "amount_" + suffix).Select(f => f.GetProperty("value").GetString()).FirstOrDefault(),
            Saved, "the amount stored as 12.5");

        await Expect(page.GetByTestId("ticket-follow")).ToHaveAttributeAsync("data-following", "false");
        await page.GetByTestId("ticket-follow").ClickAsync();
        await Expect(page.GetByTestId("ticket-follow")).ToHaveAttributeAsync("data-following", "true");
        await Expect(page.GetByTestId("ticket-followers")).ToContainTextAsync("1");
        Assert.False(await ScrollsSidewaysAsync(page), "the ticket page scrolls sideways");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-fields-en.png") });

        var zh = await NewPageAsync("zh", "zh-CN");
        await zh.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(zh);
        await zh.GotoAsync($"/console/tickets/{id}");
        await Expect(zh.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(zh.Locator($"[data-testid=ticket-field][data-key=amount_{suffix}]")).ToContainTextAsync("金额");
        await Expect(zh.GetByTestId("ticket-follow")).ToContainTextAsync("取消关注");
        Assert.False(await ScrollsSidewaysAsync(zh), "the Chinese ticket page scrolls sideways");
        await zh.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "kefu-tickets-fields-zh.png") });
    });
}
