using System.Net;
using System.Text.RegularExpressions;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.Security;

/// <summary>
/// Signs in through the console's own form, as a browser does (antiforgery field and cookie
/// included), and hands out the console cookie for requests that imitate a browser.
/// </summary>
internal static partial class ConsoleSession
{
    /// <summary>Posts the sign-in form; returns the response (a redirect on success) and the cookies it left.</summary>
    public static async Task<(HttpResponseMessage Response, CookieContainer Cookies)> PostLoginAsync(
        KefuFactory server, string email, string password, Action<HttpRequestMessage>? adjust = null)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        var page = await http.GetStringAsync("/console/login");
        var fields = InputTag().Matches(page).Select(m => m.Value).Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .ToDictionary(tag => Attribute(tag, "name"), tag => Attribute(tag, "value"));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        var request = new HttpRequestMessage(HttpMethod.Post, "/console/login") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority));
        adjust?.Invoke(request);
        return (await http.SendAsync(request), cookies);
    }

    /// <summary>The <c>Cookie</c> header of a signed-in console user (the admin unless told otherwise).</summary>
    public static async Task<string> CookieHeaderAsync(KefuFactory server, string email = KefuFactory.AdminEmail)
    {
        var (response, cookies) = await PostLoginAsync(server, email, KefuFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var header = cookies.GetCookieHeader(server.BaseAddress);
        Assert.Contains("kefu.auth=", header);
        return header;
    }

    /// <summary>A client that sends only the headers a test gives it (no cookie jar, no redirects).</summary>
    public static HttpClient RawClient(KefuFactory server) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    /// <summary>Kefu's own origin in the tests: <c>http://127.0.0.1:port</c>.</summary>
    public static string OwnOrigin(KefuFactory server) => server.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The same host on another port: same site, so a browser sends the Lax cookie from there.</summary>
    public static string SiblingPortOrigin(KefuFactory server) => $"{server.BaseAddress.Scheme}://{server.BaseAddress.Host}:{server.BaseAddress.Port + 1}";

    private static string Attribute(string tag, string name) =>
        WebUtility.HtmlDecode(Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"").Groups[1].Value);

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();
}
