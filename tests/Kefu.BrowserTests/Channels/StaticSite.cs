using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kefu.BrowserTests.Channels;

/// <summary>A customer's website for a test: one HTML page on its own local port, so its origin differs from Kefu's.</summary>
internal sealed class StaticSite : IDisposable
{
    private readonly HttpListener _listener = new();

    public StaticSite(string html)
    {
        Html = html;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Origin = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Origin + "/");
        _listener.Start();
        _ = ServeAsync();
    }

    /// <summary>The site's origin, <c>http://127.0.0.1:port</c>.</summary>
    public string Origin { get; }

    /// <summary>The page served at <c>/</c>.</summary>
    public string Html { get; set; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }

            var body = Encoding.UTF8.GetBytes(context.Request.Url?.AbsolutePath == "/" ? Html : "");
            context.Response.StatusCode = body.Length > 0 ? 200 : 404;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
