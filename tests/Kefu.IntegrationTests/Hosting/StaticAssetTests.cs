using System.Net;
using Kefu.IntegrationTests.Infrastructure;

namespace Kefu.IntegrationTests.Hosting;

/// <summary>The files the server ships beside its pages: the icon, the embed script, the widget app.</summary>
public sealed class StaticAssetTests(KefuFactory factory) : IClassFixture<KefuFactory>
{
    private readonly KefuFactory _server = factory.Start();

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/widget.js", "text/javascript")]
    [InlineData("/widget/app.js", "text/javascript")]
    [InlineData("/widget/app.css", "text/css")]
    public async Task Asset_IsServed_WithItsType(string path, string type)
    {
        using var http = _server.Http();

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Icon_IsAnIcoWithThreeSizes()
    {
        using var http = _server.Http();

        var ico = await http.GetByteArrayAsync("/favicon.ico");

        Assert.Equal(new byte[] { 0, 0, 1, 0, 3, 0 }, ico[..6]); // ICONDIR: reserved, type 1 (icon), three images
        Assert.Equal([16, 32, 48], Enumerable.Range(0, 3).Select(i => (int)ico[6 + (16 * i)]));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/console/login")]
    public async Task Pages_LinkTheIcon(string path)
    {
        using var http = _server.Http();

        var html = await http.GetStringAsync(path);

        Assert.Contains("href=\"/favicon.ico\"", html);
        Assert.Contains("href=\"/favicon.svg\"", html);
    }

    [Fact]
    public async Task BuildStamp_IsNotServed()
    {
        using var http = _server.Http();

        var response = await http.GetAsync("/widget/.build-stamp");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
