using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Channels;
using Kefu.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Invitations;

/// <summary>
/// Proactive invitations end to end (docs/invitations.md), in English and Chinese: a rule on a shop's pricing page shows
/// the invitation beside the launcher and accepting opens the chat with it as the first line; the rules page counts it;
/// an agent sees the visitor in the live list and their own invitation reaches the widget.
/// </summary>
public sealed class InvitationBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task ARule_ShowsTheInvitation_AcceptingOpensTheChat_AndAnAgentsInviteFromTheLiveListReachesTheWidget() => RunAsync(async () =>
    {
        using var shop = new StaticSite("");
        using var admin = await AdminApiAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/inboxes", new { name = "Invite shop", allowedOrigins = new[] { shop.Origin } });
        created.EnsureSuccessStatusCode();
        var inbox = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (inboxId, key) = (inbox.GetProperty("id").GetString(), inbox.GetProperty("widgetKey").GetString());
        var rules = await admin.PutAsJsonAsync($"/api/v1/inboxes/{inboxId}/invitation-rules", new
        {
            rules = new[] { new { name = "Pricing", urlPattern = "*plan=pro*", textEn = "Questions about <b>plans</b>?", textZh = "对套餐有疑问吗？", capMinutes = 10, dismissMinutes = 60 } },
        });
        rules.EnsureSuccessStatusCode();
        shop.Html = $$"""
            <!doctype html><html><head><title>Pricing</title></head><body><h1>Pricing</h1>
            <script async src="{{Server.BaseAddress.ToString().TrimEnd('/')}}/widget.js" data-kefu-key="{{key}}"></script>
            </body></html>
            """;

        foreach (var (locale, tag, ruleText, agentText) in new[] { ("en-US", "en", "Questions about <b>plans</b>?", "Need help choosing a plan?"), ("zh-CN", "zh", "对套餐有疑问吗？", "需要帮您选择套餐吗？") })
        {
            var visitor = await NewPageAsync("visitor-" + tag, locale);
            await visitor.GotoAsync($"{shop.Origin}/?plan=pro&lang={tag}");
            var frame = visitor.FrameLocator("[data-testid=kefu-frame]");
            var card = frame.GetByTestId("kefu-invitation");
            await Expect(card).ToBeVisibleAsync();
            // Text, not markup: the rule's "<b>" is shown as typed.
            await Expect(frame.GetByTestId("kefu-invitation-text")).ToHaveTextAsync(ruleText);
            await visitor.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-invite-bubble-{tag}.png") });

            await frame.GetByTestId("kefu-invitation-accept").ClickAsync();
            await Expect(frame.GetByTestId("kefu-panel")).ToBeVisibleAsync();
            await Expect(card).ToBeHiddenAsync();
            await Expect(frame.GetByTestId("kefu-greeting")).ToHaveTextAsync(ruleText);
            await frame.GetByTestId("kefu-close").ClickAsync();

            // The agent's side: the visitor in the live list, and an invitation of their own.
            var agent = await NewPageAsync("agent-" + tag, locale);
            await SignInAgentAsync(agent);
            await agent.GotoAsync("/console/visitors");
            await Expect(agent.Locator("[data-testid=visitors-page][data-interactive=true]")).ToBeVisibleAsync();
            var row = agent.GetByTestId("visitor-row").Filter(new() { HasText = $"/?plan=pro&lang={tag}" });
            await Expect(row).ToHaveCountAsync(1);
            await row.GetByTestId("visitor-invite").ClickAsync();
            await agent.GetByTestId("visitor-invite-text").FillAsync(agentText);
            await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-invite-visitors-{tag}.png") });
            await agent.GetByTestId("visitor-invite-send").ClickAsync();
            await Expect(agent.GetByTestId("visitor-invite-status")).ToBeVisibleAsync();
            await Expect(frame.GetByTestId("kefu-invitation-text")).ToHaveTextAsync(agentText);

            // Esc dismisses it.
            await frame.GetByTestId("kefu-invitation-close").FocusAsync();
            await visitor.Keyboard.PressAsync("Escape");
            await Expect(card).ToBeHiddenAsync();

            await agent.GotoAsync($"/console/settings/invitations?inbox={inboxId}");
            await Expect(agent.Locator("[data-testid=invitations-page][data-interactive=true]")).ToBeVisibleAsync();
            var ruleRow = agent.GetByTestId("invitation-rule-row").Filter(new() { HasText = "Pricing" });
            await Expect(ruleRow.GetByTestId("invitation-accepted")).ToHaveTextAsync(tag == "en" ? "1" : "2");
            await agent.GetByTestId("invitation-edit").ClickAsync();
            await Expect(agent.GetByTestId("invitation-editor")).ToBeVisibleAsync();
            await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"kefu-invite-rules-{tag}.png"), FullPage = true });
        }

        AssertNoDialogs();
    });
}
