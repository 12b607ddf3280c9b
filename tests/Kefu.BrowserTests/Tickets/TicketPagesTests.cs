using System.Net.Http.Json;
using System.Text.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Tickets;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Tickets;

/// <summary>
/// Tickets in the console: one made from a chat (transcript kept), a public reply that reaches the visitor's widget and
/// an internal note that does not, the list updating live, a merge from the ticket page; both languages at 1280×800.
/// </summary>
public sealed class TicketPagesTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task Agent_MakesATicketFromAChat_RepliesToTheVisitor_AndNotesStayInside() => RunAsync(async () =>
    {
        var widget = await VisitorAsync("visitor", "<b>My parcel</b> never arrived");
        var conversationId = await Server.LatestConversationAsync();
        var list = await NewPageAsync("list");
        await list.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(list);
        await list.GotoAsync("/console/tickets");
        await Expect(list.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        var agent = await NewPageAsync("agent");
        await agent.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(agent);
        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);

        await agent.GetByTestId("ticket-from-chat").ClickAsync();
        await agent.GetByTestId("ticket-from-chat-create").ClickAsync();
        await Expect(agent.GetByTestId("field-error-subject")).ToBeVisibleAsync(); // no subject: refused, nothing stored
        Assert.Equal(0, await Server.DbAsync(db => db.Set<Ticket>().CountAsync(t => t.ConversationId == conversationId)));
        await agent.GetByTestId("ticket-from-chat-subject").FillAsync("Lost <i>parcel</i>");
        await agent.GetByTestId("ticket-from-chat-create").ClickAsync();

        await Expect(agent.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        var transcript = agent.Locator("[data-testid=ticket-entry][data-kind=transcript]");
        await Expect(transcript.GetByTestId("ticket-entry-text")).ToHaveTextAsync("<b>My parcel</b> never arrived"); // text, never markup
        await Expect(agent.GetByTestId("ticket-clock")).ToBeVisibleAsync();
        var row = list.Locator("[data-testid=tickets-grid] tr").Filter(new() { HasText = "Lost <i>parcel</i>" });
        await Expect(row.GetByTestId("ticket-link")).ToHaveTextAsync("Lost <i>parcel</i>"); // the open list got it live, as text

        await agent.GetByTestId("ticket-reply-text").FillAsync("A new parcel is on its way");
        await agent.GetByTestId("ticket-reply-send").ClickAsync();
        await Expect(agent.Locator("[data-testid=ticket-entry][data-kind=reply]")).ToContainTextAsync("A new parcel is on its way");
        await Expect(WidgetMessages(widget, "A new parcel is on its way")).ToBeVisibleAsync();
        await agent.GetByTestId("ticket-reply-internal").ClickAsync();
        await agent.GetByTestId("ticket-reply-text").FillAsync("Courier claim filed");
        await agent.GetByTestId("ticket-reply-send").ClickAsync();
        await Expect(agent.Locator("[data-testid=ticket-entry][data-kind=note]")).ToContainTextAsync("Courier claim filed");
        await Expect(row.GetByTestId("ticket-status")).ToHaveTextAsync("Open");
        Assert.False(await ScrollsSidewaysAsync(agent), "the ticket page scrolls sideways");
        Assert.False(await ScrollsSidewaysAsync(list), "the ticket list scrolls sideways");
        Assert.Equal(0, await widget.GetByText("Courier claim filed").CountAsync());

        var chinese = await NewPageAsync("zh", "zh-CN");
        await chinese.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(chinese);
        await chinese.GotoAsync(agent.Url);
        await Expect(chinese.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(chinese.GetByTestId("ticket-reply-send")).ToContainTextAsync("发送回复");
        Assert.False(await ScrollsSidewaysAsync(chinese), "the Chinese ticket page scrolls sideways");
        await chinese.GotoAsync("/console/tickets");
        await Expect(chinese.Locator("[data-testid=tickets-page][data-interactive=true]")).ToBeVisibleAsync();
        Assert.False(await ScrollsSidewaysAsync(chinese), "the Chinese ticket list scrolls sideways");
    });

    [Fact]
    public Task Agent_LinksARelatedTicket_AndMergesATicketIntoAnother_ByNumber_AndTheSurvivorKeepsBothThreads() => RunAsync(async () =>
    {
        using var api = await AdminApiAsync();
        var keep = await CreateAsync(api, "Keep this one", "first request");
        var gone = await CreateAsync(api, "Same request again", "second request");
        var agent = await NewPageAsync("agent");
        await agent.SetViewportSizeAsync(1280, 800);
        await SignInAgentAsync(agent);
        await agent.GotoAsync($"/console/tickets/{gone.GetProperty("id").GetGuid()}");
        await Expect(agent.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();

        // Link a related ticket by number: listed on the page, and on the other ticket too (both ways).
        var related = await CreateAsync(api, "A related request", "third request");
        var relatedNumber = related.GetProperty("number").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await agent.GetByTestId("ticket-related-number").Locator("input").FillAsync(relatedNumber);
        await agent.GetByTestId("ticket-related-add").ClickAsync();
        await Expect(agent.Locator($"[data-testid=ticket-related-link][data-number='{relatedNumber}']")).ToContainTextAsync("A related request");
        Assert.Contains(gone.GetProperty("id").GetGuid(), (await api.GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{related.GetProperty("id").GetGuid()}"))
            .GetProperty("ticket").GetProperty("related").EnumerateArray().Select(r => r.GetGuid()));

        await agent.GetByTestId("ticket-merge-number").Locator("input").FillAsync(gone.GetProperty("number").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await agent.GetByTestId("ticket-merge").ClickAsync();
        await Expect(agent.GetByTestId("field-error-targetId")).ToBeVisibleAsync(); // into itself: refused
        await agent.GetByTestId("ticket-merge-number").Locator("input").FillAsync(keep.GetProperty("number").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await agent.GetByTestId("ticket-merge").ClickAsync();

        await Expect(agent.GetByTestId("ticket-merged-banner")).ToBeVisibleAsync();
        await agent.GetByTestId("ticket-merged-banner").GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();
        await Expect(agent.Locator("[data-testid=ticket-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(agent.GetByTestId("ticket-thread")).ToContainTextAsync("first request");
        await Expect(agent.GetByTestId("ticket-thread")).ToContainTextAsync("second request");
        Assert.Equal(keep.GetProperty("id").GetGuid(), await Server.DbAsync(db => db.Set<Ticket>().Where(t => t.Id == gone.GetProperty("id").GetGuid()).Select(t => t.MergedIntoId).SingleAsync()));
    });

    private static async Task<JsonElement> CreateAsync(HttpClient api, string subject, string description)
    {
        var response = await api.PostAsJsonAsync("/api/v1/tickets", new { subject, description });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
