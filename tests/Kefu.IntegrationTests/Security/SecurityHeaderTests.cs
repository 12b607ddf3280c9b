using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.Security;

/// <summary>The console's Content-Security-Policy and HSTS, over plain HTTP and behind a trusted TLS proxy.</summary>
public sealed class SecurityHeaderTests
{
    [Fact]
    public async Task ConsolePages_CarryAStrictScriptPolicy_AndRefuseFraming_AndNoHstsOverHttp()
    {
        await using var server = new KefuFactory().Start();
        using var http = server.Http();

        var response = await http.GetAsync("/console/login");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);
        Assert.Equal("object-src 'none'", directives["object-src"]);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task BehindTrustedTlsProxy_AnswersCarryHsts_ButNotWhenTheProxyIsUntrusted()
    {
        await using var trusted = new KefuFactory { Settings = new Dictionary<string, string> { ["Kefu:Hosting:TrustedProxies:0"] = "127.0.0.1" } }.Start();
        await using var untrusted = new KefuFactory().Start();

        Assert.Equal("max-age=31536000", await HstsAsync(trusted, "https"));
        Assert.Null(await HstsAsync(trusted, "http"));
        Assert.Null(await HstsAsync(untrusted, "https"));
    }

    private static async Task<string?> HstsAsync(KefuFactory server, string forwardedProto)
    {
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/login");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        var response = await http.SendAsync(request);
        return response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null;
    }
}
