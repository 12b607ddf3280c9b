using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Accounts;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using static Kefu.IntegrationTests.Accounts.SignInClient;
using static Kefu.IntegrationTests.People.PeopleApi;

namespace Kefu.IntegrationTests.People;

/// <summary>
/// Adding a colleague by invitation, through the real API and a real SMTP server: the mail's link sets a password once,
/// within seven days, and the new person then signs in like anyone else.
/// </summary>
// One at a time: both classes move their rig\'s clock and read links from mail, and they disturbed each other in parallel.
[Collection("SignInResetRig")]
public sealed partial class InvitationTests(SignInResetRig rig) : IClassFixture<SignInResetRig>
{
    private const string Password = "Invited-Password-42!";
    private KefuFactory Server => rig.Server;

    [Fact]
    public async Task Invite_MailsALink_ThatSetsThePasswordOnce_AndThePersonSignsIn()
    {
        using var admin = await AdminAsync(Server);
        var email = $"invitee-{Guid.NewGuid():N}@demo.test";

        var created = await (await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email, displayName = "New colleague", role = "agent" })).JsonAsync(HttpStatusCode.Created);

        Assert.True(created.GetProperty("invited").GetBoolean());
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("invited", (await (await admin.Http.GetAsync($"/api/v1/agents/{id}")).JsonAsync()).GetProperty("status").GetString());
        var (userId, token, link) = await LinkAsync(email);
        Assert.Equal(id.ToString(), userId);
        Assert.StartsWith(SignInResetRig.PublicUrl + "/console/accept-invitation?", link);
        using var anonymous = Server.Http();
        Assert.Contains("data-testid=\"accept-invitation\"", await (await anonymous.GetAsync(new Uri(link).PathAndQuery)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(Server, email, Password)).StatusCode);

        await AssertProblemAsync(await AcceptAsync(userId, token, "short"), HttpStatusCode.BadRequest, "weak_password", "newPassword");
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(userId, token, Password)).StatusCode); // the weak try left it usable

        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(Server, email, Password)).StatusCode);
        await AssertProblemAsync(await AcceptAsync(userId, token, "Another-Password-42!"), HttpStatusCode.BadRequest, "invitation_invalid");
        Assert.Equal("active", (await (await admin.Http.GetAsync($"/api/v1/agents/{id}")).JsonAsync()).GetProperty("status").GetString());
        await AssertProblemAsync(await admin.Http.PostAsync($"/api/v1/agents/{id}/invitation", null), HttpStatusCode.Conflict, "agent_already_joined");
        Assert.Equal("role=agent; invited", Assert.Single(await AuditAsync(Server, AuditActions.AgentCreated, userId)).Detail);
        Assert.Single(await AuditAsync(Server, AuditActions.InvitationAccepted, userId));
    }

    [Fact]
    public async Task InvitationLink_ExpiresAfterSevenDays_AndAResentOneWorks()
    {
        using var admin = await AdminAsync(Server);
        var email = $"late-{Guid.NewGuid():N}@demo.test";
        var id = (await (await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email, displayName = "Late" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (userId, token, _) = await LinkAsync(email);

        rig.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await AssertProblemAsync(await AcceptAsync(userId, token, Password), HttpStatusCode.BadRequest, "invitation_invalid");

        using var freshAdmin = await AdminAsync(Server); // the first admin's token has expired on the moved clock
        Assert.Equal(HttpStatusCode.NoContent, (await freshAdmin.Http.PostAsync($"/api/v1/agents/{id}/invitation", null)).StatusCode);
        var (_, resent, _) = await LinkAsync(email, nth: 2);
        Assert.Equal(HttpStatusCode.NoContent, (await AcceptAsync(userId, resent, Password)).StatusCode);
        Assert.Single(await AuditAsync(Server, AuditActions.AgentInvited, userId));
    }

    [Fact]
    public async Task Invitation_OfADeactivatedPerson_OrAForgedToken_SetsNothing()
    {
        using var admin = await AdminAsync(Server);
        var email = $"gone-{Guid.NewGuid():N}@demo.test";
        var id = (await (await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email, displayName = "Gone" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (userId, token, _) = await LinkAsync(email);

        await AssertProblemAsync(await AcceptAsync(userId, token[..^4] + "AAAA", Password), HttpStatusCode.BadRequest, "invitation_invalid");
        await AssertProblemAsync(await AcceptAsync(Guid.NewGuid().ToString(), token, Password), HttpStatusCode.BadRequest, "invitation_invalid");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Http.PostAsync($"/api/v1/agents/{id}/deactivate", null)).StatusCode);
        await AssertProblemAsync(await AcceptAsync(userId, token, Password), HttpStatusCode.BadRequest, "invitation_invalid");
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(Server, email, Password)).StatusCode);
    }

    [Fact]
    public async Task Create_WithBadInput_NamesTheField_AndStoresNothing()
    {
        using var admin = await AdminAsync(Server);
        using var supervisor = await new Access.Workspace(Server).PersonAsync(AgentRole.Supervisor, "Sup");
        using var agent = await new Access.Workspace(Server).PersonAsync(AgentRole.Agent, "Agent");
        using var foreign = await ForeignAdminAsync(Server);
        var before = await UserCountAsync(Server);
        var fresh = $"fresh-{Guid.NewGuid():N}@demo.test";

        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = "not an address", displayName = "X", password = Password }), HttpStatusCode.BadRequest, "invalid_request", "email");
        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = " ", password = Password }), HttpStatusCode.BadRequest, "invalid_request", "displayName");
        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = "X", password = Password, role = "owner" }), HttpStatusCode.BadRequest, "invalid_request", "role");
        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = "X", password = "short" }), HttpStatusCode.BadRequest, "weak_password", "password");
        await AssertProblemAsync(await admin.Http.PostAsJsonAsync("/api/v1/agents", new { email = KefuFactory.AdminEmail.ToUpperInvariant(), displayName = "X", password = Password }), HttpStatusCode.Conflict, "email_taken", "email");
        await AssertProblemAsync(await supervisor.Http.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = "X", password = Password, role = "admin" }), HttpStatusCode.Forbidden, "forbidden", "role");
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.Http.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = "X", password = Password })).StatusCode);

        Assert.Equal(before, await UserCountAsync(Server));
        Assert.Empty(rig.Mail.MessagesTo(fresh));
        var made = await (await foreign.PostAsJsonAsync("/api/v1/agents", new { email = fresh, displayName = "Theirs", password = Password })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/v1/agents/{made.GetProperty("id").GetGuid()}")).StatusCode);
    }

    private async Task<HttpResponseMessage> AcceptAsync(string userId, string token, string newPassword)
    {
        using var http = Server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/invitation/accept", new { userId, token, newPassword });
    }

    private async Task<(string UserId, string Token, string Link)> LinkAsync(string email, int nth = 1)
    {
        var message = await rig.Mail.WaitForAsync(email, nth);
        var link = LinkPattern().Match(message.TextBody ?? "").Value;
        Assert.False(string.IsNullOrEmpty(link), "the mail holds no invitation link");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        return (query["user"]!, query["token"]!, link);
    }

    [GeneratedRegex(@"https://\S+/console/accept-invitation\?\S+")]
    private static partial Regex LinkPattern();
}
