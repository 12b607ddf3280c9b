using System.Text.RegularExpressions;
using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Features.Routing.Contracts;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Workspace;

/// <summary>The bell's lines are the server's: two browsers of one agent agree, and an agent who was away finds what happened.</summary>
public sealed class BellTests(BrowserFixture fixture, ITestOutputHelper output) : WorkspaceTest(fixture, output)
{
    [Fact]
    public Task TwoBrowsers_ShowTheSameLines_ReadingInOneReadsInBoth_AndAnAgentWhoWasAwayFindsTheMessageLater() => RunAsync(async () =>
    {
        var (_, email) = await Server.CreateAgentAsync("Bella Bell");
        await Server.RouteAsync(AssignmentMode.Offer);
        var desk = await SignInAsAsync("desk", email);
        var laptop = await SignInAsAsync("laptop", email);

        var visitor = await VisitorAsync("visitor", "Is anybody there?");

        await Expect(desk.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await Expect(laptop.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await desk.GetByTestId("bell-button").ClickAsync();
        var line = desk.Locator("[data-testid=bell-item][data-kind=offer]");
        await Expect(line).ToHaveAttributeAsync("data-read", "false");
        await Expect(line.Locator(".what")).ToHaveTextAsync(new Regex("^Visitor [0-9A-F]{4} is offered to you$"));
        var conversationId = await line.GetAttributeAsync("data-conversation-id");
        await line.ClickAsync();
        await desk.WaitForURLAsync($"**/console/conversations/{conversationId}");

        // Read on the desk, so read on the laptop too, without a reload; and still there after one.
        await Expect(desk.GetByTestId("bell-count")).ToHaveCountAsync(0);
        await Expect(laptop.GetByTestId("bell-count")).ToHaveCountAsync(0);
        await laptop.ReloadAsync();
        await WaitInteractiveAsync(laptop);
        await Expect(laptop.Locator("[data-testid=notification-bell][data-loaded=true]")).ToHaveCountAsync(1);
        await laptop.GetByTestId("bell-button").ClickAsync();
        await Expect(laptop.Locator("[data-testid=bell-item][data-kind=offer]")).ToHaveAttributeAsync("data-read", "true");
        await Expect(laptop.GetByTestId("bell-count")).ToHaveCountAsync(0);

        // She takes the chat and leaves; the visitor writes while nobody of hers is signed in.
        await desk.GetByTestId("offer-accept").ClickAsync();
        await Expect(desk.GetByTestId("offer-banner")).ToHaveCountAsync(0);
        await desk.Context.CloseAsync();
        await laptop.Context.CloseAsync();
        await VisitorSendsAsync(visitor, "Hello? I need help with my order");

        var phone = await SignInAsAsync("phone", email);
        await Expect(phone.GetByTestId("bell-count")).ToHaveTextAsync("1");
        await phone.GetByTestId("bell-button").ClickAsync();
        var message = phone.Locator("[data-testid=bell-item][data-kind=message]");
        await Expect(message).ToHaveAttributeAsync("data-read", "false");
        await Expect(message).ToHaveAttributeAsync("data-conversation-id", conversationId!);
        await message.ClickAsync();
        await phone.WaitForURLAsync($"**/console/conversations/{conversationId}");
        await Expect(phone.GetByTestId("bell-count")).ToHaveCountAsync(0);
        AssertNoDialogs();
    });
}
