using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Infrastructure;
using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.Extensions.Time.Testing;
using static Kefu.IntegrationTests.Accounts.SignInClient;

namespace Kefu.IntegrationTests.Accounts;

/// <summary>A real SMTP server (aiosmtpd) and a Kefu server that mails through it, on a clock the tests move.</summary>
public sealed class SignInResetRig : IAsyncLifetime
{
    /// <summary>What the reset links start with: the configured public address, not the request's Host header.</summary>
    public const string PublicUrl = "https://kefu.example.test";

    public SignInMailServer Mail { get; private set; } = null!;

    public KefuFactory Server { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The server's warnings and errors, to tell why a mail did not come.</summary>
    public LogCollector Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Mail = await SignInMailServer.StartAsync();
        Server = new KefuFactory
        {
            Clock = Clock,
            Logs = Logs,
            Settings = new Dictionary<string, string>
            {
                ["Kefu:Mail:Host"] = "127.0.0.1",
                ["Kefu:Mail:Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Kefu:Mail:Security"] = "None",
                ["Kefu:Mail:From"] = "Kefu <no-reply@kefu.example.test>",
                ["Kefu:Mail:PublicUrl"] = PublicUrl,
            },
        }.Start();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

/// <summary>Password reset by e-mail: always 202, a single-use link that expires after 30 minutes, and every session ends.</summary>
// One at a time: both classes move their rig\'s clock and read links from mail, and they disturbed each other in parallel.
[Collection("SignInResetRig")]
public sealed partial class SignInPasswordResetTests(SignInResetRig rig) : IClassFixture<SignInResetRig>
{
    private const string NewPassword = "Reset-Password-789#";
    private KefuFactory Server => rig.Server;

    [Fact]
    public async Task Reset_MailsALink_ThatSetsANewPasswordOnce_AndEndsEverySession()
    {
        var email = await Server.CreateAgentInDemoTenantAsync();
        var tokens = await TokensAsync(Server, email);
        using var signedIn = Bearer(Server, tokens.Access);

        Assert.Equal(HttpStatusCode.Accepted, (await RequestAsync(email)).StatusCode);
        var (userId, token, link) = await LinkAsync(email);

        Assert.StartsWith(SignInResetRig.PublicUrl + "/console/reset-password?", link);
        using var anonymous = Server.Http();
        var page = await anonymous.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"reset-password\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/v1/conversations")).StatusCode); // asking ends nothing

        var confirmed = await ConfirmAsync(userId, token, NewPassword);

        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await signedIn.GetAsync("/api/v1/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(Server, tokens.Refresh)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenResponseAsync(Server, email, KefuFactory.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(Server, email, NewPassword)).StatusCode);
        var again = await ConfirmAsync(userId, token, "Yet-Another-Password-1!");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("reset_token_invalid", await CodeOfAsync(again));
        Assert.Single(await AuditAsync(Server, AuditActions.PasswordResetRequested, userId));
        Assert.Single(await AuditAsync(Server, AuditActions.PasswordResetCompleted, userId), e => e.Outcome == AuditOutcome.Succeeded);
    }

    [Fact]
    public async Task Reset_ForAnUnknownEmail_AnswersTheSame_AndSendsNothing()
    {
        var email = await Server.CreateAgentInDemoTenantAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@demo.test";

        var forUnknown = await RequestAsync(unknown);
        var forKnown = await RequestAsync(email);

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(await forKnown.Content.ReadAsStringAsync(), await forUnknown.Content.ReadAsStringAsync());
        await WaitForMailAsync(email); // queued after the unknown one, so that one had its turn
        Assert.Empty(rig.Mail.MessagesTo(unknown));
    }

    [Fact]
    public async Task ResetLink_Expires_After30Minutes()
    {
        var email = await Server.CreateAgentInDemoTenantAsync();
        await RequestAsync(email);
        var (userId, token, _) = await LinkAsync(email);

        rig.Clock.Advance(TimeSpan.FromMinutes(31));
        var late = await ConfirmAsync(userId, token, NewPassword);

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal("reset_token_invalid", await CodeOfAsync(late));
        Assert.Equal(HttpStatusCode.OK, (await TokenResponseAsync(Server, email, KefuFactory.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task Confirm_WithAWeakPassword_OrABadToken_ChangesNothing()
    {
        var email = await Server.CreateAgentInDemoTenantAsync();
        await RequestAsync(email);
        var (userId, token, _) = await LinkAsync(email);

        var weak = await ConfirmAsync(userId, token, "short");
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("newPassword", await weak.Content.ReadAsStringAsync());
        Assert.Equal("reset_token_invalid", await CodeOfAsync(await ConfirmAsync(userId, token[..^4] + "AAAA", NewPassword)));
        Assert.Equal("reset_token_invalid", await CodeOfAsync(await ConfirmAsync(Guid.NewGuid().ToString(), token, NewPassword)));
        var otherUser = await UserIdAsync(Server, await Server.CreateAgentInDemoTenantAsync());
        Assert.Equal("reset_token_invalid", await CodeOfAsync(await ConfirmAsync(otherUser.ToString(), token, NewPassword)));

        Assert.Equal(HttpStatusCode.NoContent, (await ConfirmAsync(userId, token, NewPassword)).StatusCode); // still unused
    }

    [Fact]
    public async Task WithoutMailConfigured_ResetAnswers202_AndLogsAWarning()
    {
        var logs = new LogCollector();
        await using var server = new KefuFactory { Logs = logs }.Start();
        using var http = server.Http();

        var response = await http.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = KefuFactory.AdminEmail });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains(logs.Entries, e => e.Text.Contains("mail is not configured", StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> RequestAsync(string email)
    {
        using var http = Server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/password-reset", new { email });
    }

    private async Task<HttpResponseMessage> ConfirmAsync(string userId, string token, string newPassword)
    {
        using var http = Server.Http();
        return await http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { userId, token, newPassword });
    }

    /// <summary>Reads the reset mail from the Maildir and takes the link apart.</summary>
    private async Task<(string UserId, string Token, string Link)> LinkAsync(string email)
    {
        var message = await WaitForMailAsync(email);
        var link = LinkPattern().Match(message.TextBody ?? "").Value;
        Assert.False(string.IsNullOrEmpty(link), "the mail holds no reset link");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        return (query["user"]!, query["token"]!, link);
    }

    private async Task<MimeKit.MimeMessage> WaitForMailAsync(string email)
    {
        try
        {
            return await rig.Mail.WaitForAsync(email);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "; server log: " + string.Join(" | ", rig.Logs.Entries.Select(l => l.Text)));
        }
    }

    [GeneratedRegex(@"https://\S+/console/reset-password\?\S+")]
    private static partial Regex LinkPattern();
}
