using System.Net;
using System.Text.RegularExpressions;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>Signs in through the console's real sign-in form (static server rendering, with its antiforgery token).</summary>
public static partial class ConsoleSignIn
{
    /// <summary>Posts the form; returns the client (holding any cookie set), the response and the error shown, if any.</summary>
    public static async Task<(HttpClient Client, HttpResponseMessage Response, string? Error)> PostAsync(KefuFactory server, string email, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var page = await client.GetStringAsync("/console/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        var body = await response.Content.ReadAsStringAsync();
        var error = ErrorText().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
        return (client, response, error);
    }

    /// <summary>Posts the console's second sign-in step (the two-factor code) with the client that passed the password step.</summary>
    public static async Task<HttpResponseMessage> PostSecondFactorAsync(HttpClient client, string code, bool recovery = false)
    {
        var page = await client.GetStringAsync("/console/login/two-factor");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/console/login/two-factor", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "two-factor",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            [recovery ? "Input.RecoveryCode" : "Input.Code"] = code,
        }));
    }

    /// <summary>The value of the auth cookie the client holds, to copy it as an attacker would.</summary>
    public static string AuthCookie(HttpResponseMessage signedIn) =>
        signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("kefu.auth=", StringComparison.Ordinal));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-testid=\"login-error-text\"[^>]*>([^<]*)<")]
    private static partial Regex ErrorText();
}
