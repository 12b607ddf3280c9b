using System.Net.Http.Json;
using Kefu.BrowserTests.Infrastructure;
using Kefu.BrowserTests.Workspace;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.EntityFrameworkCore;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Privacy;

/// <summary>A contact's masked phone in the conversation's contact panel: an admin reveals it (audited) and hides it; an agent has no Reveal button.</summary>
public sealed class ContactRevealTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Admin_RevealsAContactsMaskedPhone_InTheContactPanel_AndAnAgentCannot() => RunAsync(async () =>
    {
        var marker = "Rv" + Guid.NewGuid().ToString("N")[..6];
        var widget = await OpenWidgetAsync(await NewPageAsync("visitor"));
        await VisitorSendsAsync(widget, $"{marker} please call me back");
        var conversationId = await Server.DbAsync(db => db.Messages.Where(m => m.Text.StartsWith(marker)).Select(m => m.ConversationId).SingleAsync());
        var contactId = await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId).Select(c => c.ContactId).SingleAsync());
        using (var api = await AdminApiAsync())
        {
            (await api.PutAsJsonAsync($"/api/v1/contacts/{contactId}", new { name = marker + " Caller", phone = "13800138000", tags = Array.Empty<string>() })).EnsureSuccessStatusCode();
        }

        var admin = await NewPageAsync("admin");
        await SignInAgentAsync(admin);
        await admin.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(admin);
        var panel = admin.GetByTestId("contact-panel");
        await Expect(panel.GetByTestId("contact-phone")).ToHaveTextAsync("138****8000");

        await panel.GetByTestId("contact-reveal").ClickAsync();

        await Expect(panel.GetByTestId("contact-phone")).ToHaveTextAsync("13800138000");
        Assert.Equal("fields=phone", await Server.DbAsync(db => db.AuditEntries
            .Where(e => e.Action == AuditActions.PersonalDataUnmasked && e.TargetId == contactId.ToString()).Select(e => e.Detail).SingleAsync()));
        await panel.GetByTestId("contact-hide").ClickAsync();
        await Expect(panel.GetByTestId("contact-phone")).ToHaveTextAsync("138****8000");

        // An agent who holds the conversation sees the panel, masked, and nothing to reveal it with.
        var (agentId, email) = await Server.CreateAgentAsync("Plain Agent");
        await Server.DbAsync(db => db.Conversations.Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AssigneeId, agentId).SetProperty(c => c.Handler, ConversationHandler.Agent)));
        var agent = await NewPageAsync("agent");
        await SignInAsync(agent, email, WorkspaceRig.Password);
        await agent.GotoAsync($"/console/conversations/{conversationId}");
        await WaitInteractiveAsync(agent);
        await Expect(agent.GetByTestId("contact-panel").GetByTestId("contact-phone")).ToHaveTextAsync("138****8000");
        await Expect(agent.GetByTestId("contact-reveal")).ToHaveCountAsync(0);
        AssertNoDialogs();
    });
}
