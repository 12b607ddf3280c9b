using Kefu.BrowserTests.Infrastructure;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.People;

/// <summary>
/// The people, team and role forms call the API's own handlers: a refusal shows next to its field and nothing is
/// stored; a valid form saves.
/// </summary>
public sealed class PeopleFormTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task PeopleAndTeamForms_ShowEachRefusalNextToItsField_AndSaveOnlyValidInput() => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        var users = await CountAsync(db => db.Users.CountAsync());

        await page.GotoAsync("/console/settings/people");
        await Expect(page.Locator("[data-testid=people-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("people-add").ClickAsync();
        await page.GetByTestId("add-person-name").FillAsync("Copy of the admin");
        await page.GetByTestId("add-person-email").FillAsync(KefuServer.AdminEmail);
        await page.GetByTestId("add-person-with-password").ClickAsync();
        await page.GetByTestId("add-person-password").FillAsync("Some-Password-123!");
        await page.GetByTestId("add-person-submit").ClickAsync();
        await Expect(page.GetByTestId("field-error-email")).ToBeVisibleAsync();
        await page.GetByTestId("add-person-email").FillAsync("second@browser.test");
        await page.GetByTestId("add-person-password").FillAsync("short");
        await page.GetByTestId("add-person-submit").ClickAsync();
        await Expect(page.GetByTestId("field-error-password")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("field-error-email")).ToBeHiddenAsync();
        Assert.Equal(users, await CountAsync(db => db.Users.CountAsync()));
        await page.GetByTestId("add-person-password").FillAsync("Some-Password-123!");
        await page.GetByTestId("add-person-submit").ClickAsync();
        await Expect(page.Locator("[data-testid=person-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("person-status")).ToHaveAttributeAsync("data-status", "active");
        Assert.Equal(users + 1, await CountAsync(db => db.Users.CountAsync()));

        // Routing: capacity 0 for someone who takes conversations is refused beside the capacity field.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Routing" }).ClickAsync();
        await page.GetByTestId("person-capacity").Locator("input").FillAsync("0");
        await page.GetByTestId("person-routing-save").ClickAsync();
        await Expect(page.GetByTestId("field-error-capacity")).ToBeVisibleAsync();

        // Shifts: two identical shifts overlap; the calendar's rows are fixed and saved.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Shifts" }).ClickAsync();
        await page.GetByTestId("person-add-shift").ClickAsync();
        await page.GetByTestId("person-add-shift").ClickAsync();
        await Expect(page.GetByTestId("person-shift")).ToHaveCountAsync(2);
        await page.GetByTestId("person-shifts-save").ClickAsync();
        await Expect(page.GetByTestId("field-error-shifts")).ToBeVisibleAsync();
        Assert.Equal(0, await CountAsync(db => db.AgentProfiles.CountAsync(p => p.Shifts != "")));
        await page.GetByTestId("person-shift").Nth(1).Locator("button").ClickAsync();
        await Expect(page.GetByTestId("person-shift")).ToHaveCountAsync(1);
        await page.GetByTestId("person-shifts-save").ClickAsync();
        await Expect(page.GetByTestId("field-error-shifts")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("person-shift")).ToHaveCountAsync(1);
        Assert.Equal(1, await CountAsync(db => db.AgentProfiles.CountAsync(p => p.Shifts == "mon 09:00-17:00")));
        await Expect(page.Locator(".rz-event")).ToHaveCountAsync(1);

        // Teams: a second team with a taken name is refused, saying so.
        await page.GotoAsync("/console/settings/teams");
        await Expect(page.Locator("[data-testid=teams-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("team-new-name").FillAsync("Billing");
        await page.GetByTestId("team-create").ClickAsync();
        await Expect(page.GetByTestId("team-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("team-new-name")).ToHaveValueAsync("");
        await page.GetByTestId("team-new-name").FillAsync("Billing");
        await page.GetByTestId("team-create").ClickAsync();

        await Expect(page.GetByTestId("form-error")).ToContainTextAsync("A team with this name exists.");
        await Expect(page.GetByTestId("team-row")).ToHaveCountAsync(1);

        // Roles: a custom role with one permission appears in the list.
        await page.GotoAsync("/console/settings/roles");
        await Expect(page.Locator("[data-testid=roles-page][data-interactive=true]")).ToBeVisibleAsync();
        await page.GetByTestId("role-create").ClickAsync();
        await page.GetByTestId("role-name").FillAsync("Quality");
        await page.Locator("[data-testid=role-permission][data-permission=audit]").ClickAsync();
        await page.GetByTestId("role-save").ClickAsync();
        await Expect(page.Locator("[data-testid=role-row]", new() { HasText = "Quality" })).ToBeVisibleAsync();
        AssertNoDialogs();
    });

    private async Task<int> CountAsync(Func<KefuDbContext, Task<int>> count)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await count(scope.ServiceProvider.GetRequiredService<KefuDbContext>());
    }
}
