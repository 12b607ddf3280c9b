using Kefu.BrowserTests.Infrastructure;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Kefu.BrowserTests.Accounts;

/// <summary>The "Account &amp; security" page, clicked through in chromium: two-factor enrolment, sign-in with a code, ending another session.</summary>
public sealed class AccountSecurityTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TwoFactor_Enrolled_InTheConsole_IsAskedAtSignIn_AndAnotherSessionCanBeEnded() => RunAsync(async () =>
    {
        var page = await NewPageAsync("admin");
        await SignInAgentAsync(page);
        await page.GetByTestId("nav-account").ClickAsync();
        await Expect(page.Locator("[data-testid=account-page][data-interactive=true]")).ToBeVisibleAsync();

        await page.GetByTestId("two-factor-start").ClickAsync();
        await Expect(page.GetByTestId("two-factor-qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        var key = (await page.GetByTestId("two-factor-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByTestId("two-factor-code").FillAsync(Code(key));
        await page.GetByTestId("two-factor-enable").ClickAsync();
        var codes = (await page.GetByTestId("recovery-codes").InnerTextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, codes.Length);
        await Expect(page.GetByTestId("recovery-codes-download")).ToHaveAttributeAsync("download", "kefu-recovery-codes.txt");
        await page.GetByTestId("recovery-codes-done").ClickAsync();
        await Expect(page.Locator("[data-testid=two-factor][data-state=on]")).ToBeVisibleAsync();

        await page.GotoAsync("/console");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await SignInWithCodeAsync(page, key);
        await WaitInteractiveAsync(page);

        var other = await NewPageAsync("other-device");
        await SignInWithCodeAsync(other, key, recoveryCode: codes[0]);
        await WaitInteractiveAsync(other);
        await page.GotoAsync("/console/account");
        await Expect(page.Locator("[data-testid=account-page][data-interactive=true]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("session")).ToHaveCountAsync(2);
        await page.Locator("[data-testid=session][data-current=false]").GetByTestId("session-end").ClickAsync();

        await Expect(page.GetByTestId("session")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=session][data-current=true]")).ToHaveCountAsync(1);
        // The other console falls back to the sign-in page by itself (its circuit re-checks its session every 10 s).
        await Expect(other.GetByTestId("login-submit")).ToBeVisibleAsync();
        AssertNoDialogs();
    });

    /// <summary>Password, then the code page (an authenticator code, or a recovery code when given).</summary>
    private static async Task SignInWithCodeAsync(IPage page, string key, string? recoveryCode = null)
    {
        await page.GotoAsync("/console/login");
        await page.GetByTestId("login-email").FillAsync(KefuServer.AdminEmail);
        await page.GetByTestId("login-password").FillAsync(KefuServer.AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-code-submit")).ToBeVisibleAsync();
        if (recoveryCode is null)
        {
            await page.GetByTestId("login-code").FillAsync(Code(key));
        }
        else
        {
            await page.Locator("details summary").ClickAsync();
            await page.GetByTestId("login-recovery-code").FillAsync(recoveryCode);
        }

        await page.GetByTestId("login-code-submit").ClickAsync();
    }

    private static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();
}
