using Kefu.BrowserTests.Infrastructure;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Routing;

/// <summary>Two agents at capacity, visitors waiting in line: the widget's place in line falls as agents free up.</summary>
public sealed class QueuePositionTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Password = "Queue-Agent-Pass-42!";

    [Fact]
    public Task WaitingVisitor_SeesPositionFall_AsTheAgentsFreeUp() => RunAsync(async () =>
    {
        var (first, second) = (await CreateAgentAsync("Agent One"), await CreateAgentAsync("Agent Two"));
        await AutoAssignAsync();
        var one = await SignInAsAsync("one", first.Email);
        var two = await SignInAsAsync("two", second.Email);
        await Expect(one.GetByTestId("presence-switch")).ToHaveAttributeAsync("data-state", "online");

        // Two visitors fill both agents (capacity 1 each); two more wait in line.
        var v1 = await VisitorAsync("v1", "first visitor");
        var v2 = await VisitorAsync("v2", "second visitor");
        await WaitAssignedCountAsync(2);
        var v3 = await VisitorAsync("v3", "third visitor");
        await Expect(v3.GetByTestId("kefu-queue")).ToHaveAttributeAsync("data-position", "1");
        var v4 = await VisitorAsync("v4", "fourth visitor");
        var queue = v4.GetByTestId("kefu-queue");
        await Expect(queue).ToBeVisibleAsync();
        await Expect(queue).ToHaveAttributeAsync("data-position", "2");
        await Expect(v4.GetByTestId("kefu-leave-message")).ToBeVisibleAsync();

        // The first agent resolves: the third visitor gets them, the fourth moves up to 1.
        await ResolveOwnAsync(one, first.Id);
        await Expect(one.Locator("[data-testid=timeline-event][data-type='conversation.assigned']")).ToHaveCountAsync(1);
        await Expect(queue).ToHaveAttributeAsync("data-position", "1");
        await Expect(v3.GetByTestId("kefu-queue")).ToBeHiddenAsync();

        // The second agent resolves: the fourth visitor is served and the line disappears.
        await ResolveOwnAsync(two, second.Id);
        await Expect(queue).ToBeHiddenAsync();
        await Expect(queue).ToHaveAttributeAsync("data-state", "assigned");
        _ = (v1, v2);
    });

    private async Task<(Guid Id, string Email)> CreateAgentAsync(string name)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AgentUser>>();
        var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
        var tenantId = await db.Tenants.OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync();
        var email = $"queue-{Guid.NewGuid():N}@browser.test";
        var user = new AgentUser { Id = Guid.CreateVersion7(), TenantId = tenantId, UserName = email, Email = email, DisplayName = name, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        db.AgentProfiles.Add(new AgentProfile { UserId = user.Id, TenantId = tenantId, Capacity = 1, PresenceChangedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return (user.Id, email);
    }

    private async Task AutoAssignAsync()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
        var inbox = await db.Inboxes.OrderBy(i => i.CreatedAt).FirstAsync();
        var routing = InboxRouting.Default(inbox.TenantId, inbox.Id);
        routing.Mode = AssignmentMode.Auto;
        db.InboxRoutings.Add(routing);
        // The seeded admin never signs in here, but give them no room either: only the two agents take conversations.
        await db.AgentProfiles.Where(p => p.TenantId == inbox.TenantId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Capacity, p => p.Capacity == 1 ? 1 : 0));
        await db.SaveChangesAsync();
    }

    private async Task<IPage> SignInAsAsync(string name, string email)
    {
        var page = await NewPageAsync(name);
        await page.GotoAsync("/console/login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await WaitInteractiveAsync(page);
        return page;
    }

    private async Task<IFrameLocator> VisitorAsync(string name, string text)
    {
        var page = await NewPageAsync(name);
        var widget = await OpenWidgetAsync(page);
        await VisitorSendsAsync(widget, text);
        return widget;
    }

    private Task WaitAssignedCountAsync(int count) => Wait.UntilAsync(
        async () =>
        {
            await using var scope = Server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
            return await db.Conversations.CountAsync(c => c.AssigneeId != null) >= count;
        },
        $"{count} conversations assigned");

    private async Task ResolveOwnAsync(IPage agent, Guid agentId)
    {
        Guid conversationId;
        await using (var scope = Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KefuDbContext>();
            conversationId = await db.Conversations.Where(c => c.AssigneeId == agentId && c.Status != Kefu.Server.Features.Conversations.Contracts.ConversationStatus.Resolved)
                .OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
        }

        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);
        await agent.GetByTestId("resolve").ClickAsync();
        await Expect(agent.GetByTestId("conversation-status")).ToHaveAttributeAsync("data-status", "resolved");
    }
}
