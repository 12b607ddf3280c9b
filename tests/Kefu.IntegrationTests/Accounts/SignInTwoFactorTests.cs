using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.EntityFrameworkCore;
using static Kefu.IntegrationTests.Accounts.SignInClient;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>TOTP two-factor sign-in: enrolment, sign-in with a code or a recovery code, lockout, turning it off, and the workspace that requires it.</summary>
public sealed class SignInTwoFactorTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Fact]
    public async Task Enrolment_NeedsTheRightCode_ThenTokenSignIn_NeedsACodeOrARecoveryCode()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var http = Bearer(_server, (await TokensAsync(_server, email)).Access);
        var key = await StartEnrolmentAsync(http);

        var wrong = await http.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = WrongCode(key) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("two_factor_code_invalid", await CodeOfAsync(wrong));
        var enabled = await http.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = Code(key) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var recovery = (await enabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(10, recovery.Length);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/conversations")).StatusCode); // the enrolling session stays

        var passwordOnly = await TokenResponseAsync(_server, email, KefuFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
        Assert.Equal("two_factor_required", await CodeOfAsync(passwordOnly));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, WrongCode(key))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, email, "Wrong-password-1!", Code(key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, Code(key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, recoveryCode: recovery[0])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, recoveryCode: recovery[0])).StatusCode);

        var userId = (await UserIdAsync(_server, email)).ToString();
        Assert.Single(await AuditAsync(_server, AuditActions.TwoFactorEnabled, userId));
        Assert.Single(await AuditAsync(_server, AuditActions.RecoveryCodeUsed, userId));
        Assert.True((await AuditAsync(_server, AuditActions.TwoFactorFailed, userId)).Count >= 2);
        var status = await http.GetFromJsonAsync<JsonElement>("/api/v1/account/two-factor");
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(9, status.GetProperty("recoveryCodesLeft").GetInt32());
    }

    [Fact]
    public async Task Enabling_EndsTheUsersOtherSessions()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var other = Bearer(_server, (await TokensAsync(_server, email)).Access);
        using var enrolling = Bearer(_server, (await TokensAsync(_server, email)).Access);

        await EnrolAsync(enrolling);

        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await enrolling.GetAsync("/api/v1/conversations")).StatusCode);
    }

    [Fact]
    public async Task RepeatedWrongCodes_LockTheAccountOut_EvenForTheRightCodeAfterwards()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var http = Bearer(_server, (await TokensAsync(_server, email)).Access);
        var (key, _) = await EnrolAsync(http);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, WrongCode(key))).StatusCode);
        }

        var afterLockout = await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, Code(key));
        Assert.Equal(HttpStatusCode.Unauthorized, afterLockout.StatusCode);
        Assert.Null(await CodeOfAsync(afterLockout)); // the one sign-in failure answer, not "two_factor_required"
        Assert.NotEmpty(await AuditAsync(_server, AuditActions.LockedOut, (await UserIdAsync(_server, email)).ToString()));
    }

    [Fact]
    public async Task TurningItOff_NeedsThePasswordAndACode_AndNewRecoveryCodesNeedACode()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var http = Bearer(_server, (await TokensAsync(_server, email)).Access);
        var (key, recovery) = await EnrolAsync(http);

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/v1/account/two-factor/recovery-codes", new { code = WrongCode(key) })).StatusCode);
        var regenerated = await http.PostAsJsonAsync("/api/v1/account/two-factor/recovery-codes", new { code = Code(key) });
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword, recoveryCode: recovery[0])).StatusCode); // old codes gone

        var wrongPassword = await http.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = "Wrong-password-1!", code = Code(key) });
        Assert.Equal("password_wrong", await CodeOfAsync(wrongPassword));
        var wrongCode = await http.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = KefuFactory.AdminPassword, code = WrongCode(key) });
        Assert.Equal("two_factor_code_invalid", await CodeOfAsync(wrongCode));
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = KefuFactory.AdminPassword, code = Code(key) })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(_server, email, KefuFactory.AdminPassword)).StatusCode);
        Assert.Single(await AuditAsync(_server, AuditActions.TwoFactorDisabled, (await UserIdAsync(_server, email)).ToString()));
    }

    [Fact]
    public async Task ConsoleSignIn_AsksForTheCode_OnItsSecondStep()
    {
        var email = await _server.CreateAgentInDemoTenantAsync();
        using var http = Bearer(_server, (await TokensAsync(_server, email)).Access);
        var (key, _) = await EnrolAsync(http);

        var (console, passwordStep, _) = await ConsoleSignIn.PostAsync(_server, email, KefuFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, passwordStep.StatusCode);
        Assert.Equal("/console/login/two-factor", new Uri(_server.BaseAddress, passwordStep.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/api/v1/conversations")).StatusCode); // not signed in yet

        var wrong = await ConsoleSignIn.PostSecondFactorAsync(console, WrongCode(key));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await console.GetAsync("/api/v1/conversations")).StatusCode);
        var right = await ConsoleSignIn.PostSecondFactorAsync(console, Code(key));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/api/v1/conversations")).StatusCode);
        console.Dispose();
    }

    [Fact]
    public async Task AWorkspaceThatRequiresIt_BlocksApiHubAndConsole_UntilTheUserEnrols()
    {
        var (_, adminEmail) = await _server.CreateOtherTenantAsync();
        await _server.WithDbAsync(db => db.Users.Where(u => u.Email == adminEmail).ExecuteUpdateAsync(s => s.SetProperty(u => u.Role, AgentRole.Admin)));
        using var admin = Bearer(_server, (await TokensAsync(_server, adminEmail)).Access);
        using var demoAgent = Bearer(_server, (await TokensAsync(_server, await _server.CreateAgentInDemoTenantAsync())).Access);
        Assert.Equal(HttpStatusCode.Forbidden, (await demoAgent.PutAsJsonAsync("/api/v1/workspace/security", new { requireTwoFactor = true })).StatusCode);

        var set = await admin.PutAsJsonAsync("/api/v1/workspace/security", new { requireTwoFactor = true });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await demoAgent.GetAsync("/api/v1/conversations")).StatusCode); // another workspace: unaffected
        var blocked = await admin.GetAsync("/api/v1/conversations");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("two_factor_enrolment_required", await CodeOfAsync(blocked));
        var access = (await TokensAsync(_server, adminEmail)).Access; // signing in still works: it leads to enrolment
        await Assert.ThrowsAnyAsync<Exception>(() => _server.ConnectAgentAsync(access));
        var (console, _, _) = await ConsoleSignIn.PostAsync(_server, adminEmail, KefuFactory.AdminPassword);
        var page = await console.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/console/account", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/console/account")).StatusCode);

        var (key, _) = await EnrolAsync(admin);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal("two_factor_required", await CodeOfAsync(await TokenResponseAsync(_server, adminEmail, KefuFactory.AdminPassword)));
        await using var hub = await _server.ConnectAgentAsync((await TokensAsync(_server, adminEmail, twoFactorCode: Code(key))).Access);
        var turnOff = await admin.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = KefuFactory.AdminPassword, code = Code(key) });
        Assert.Equal("two_factor_required_by_workspace", await CodeOfAsync(turnOff));
        var tenantId = await _server.WithDbAsync(db => db.Users.Where(u => u.Email == adminEmail).Select(u => u.TenantId).SingleAsync());
        Assert.Single(await AuditAsync(_server, AuditActions.SettingChanged, tenantId.ToString()));
        console.Dispose();
    }
}
