using System.Net;
using System.Text;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>The widget iframe document and the demo shop page.</summary>
internal static class WidgetPages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/widget/frame", FrameAsync).WithName("WidgetFrame").WithTags("Widget").ExcludeFromDescription();
        app.MapGet("/", DemoAsync).WithName("DemoShop").ExcludeFromDescription();
    }

    /// <summary>
    /// The iframe the loader creates. Its CSP names the inbox's allowed sites in frame-ancestors, so
    /// no other site can embed this inbox's widget (the hub sees only Kefu's own origin from here).
    /// </summary>
    private static async Task<IResult> FrameAsync(string? key, InboxDirectory inboxes, HttpContext http, CancellationToken ct)
    {
        var inbox = string.IsNullOrEmpty(key) || key.Length > 64 ? null : await inboxes.ByKeyAsync(key, ct);
        if (inbox is null)
        {
            return TypedResults.NotFound();
        }

        var ancestors = string.Join(' ', inbox.AllowedOriginList().Where(o => o != "*").Select(o => o.TrimEnd('/')));
        if (inbox.AllowedOriginList().Contains("*"))
        {
            ancestors = "*";
        }

        http.Response.Headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
            $"frame-ancestors 'self' {ancestors}; base-uri 'none'; form-action 'none'";
        http.Response.Headers.CacheControl = "no-store";
        var html = $$"""
            <!doctype html>
            <html>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Kefu</title>
            <link rel="icon" href="/favicon.ico" sizes="32x32">
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/widget/app.css">
            </head>
            <body>
            <div id="kefu-root" data-key="{{WebUtility.HtmlEncode(inbox.WidgetKey)}}"></div>
            <script src="/widget/app.js"></script>
            </body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static async Task<IResult> DemoAsync(WidgetDemo demo, CancellationToken ct)
    {
        var key = await demo.DemoKeyAsync(ct);
        var snippet = key is null
            ? "<!-- no inbox yet -->"
            : $"<script src=\"/widget.js\" data-kefu-key=\"{WebUtility.HtmlEncode(key)}\" async></script>";
        return TypedResults.Content(DemoHtml.Replace("{{SNIPPET}}", snippet, StringComparison.Ordinal), "text/html; charset=utf-8", Encoding.UTF8);
    }

    private const string DemoHtml = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sweet Corner — Kefu demo shop</title>
        <link rel="icon" href="/favicon.ico" sizes="32x32">
        <link rel="icon" href="/favicon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/demo.css">
        </head>
        <body>
        <header><h1>🍬 Sweet Corner <small>甜蜜角落</small></h1><nav><a href="/console">Agent console · 客服工作台</a></nav></header>
        <main>
          <p class="lead">A demo shop with the Kefu widget embedded by one script tag. Open the chat bubble at the bottom right.</p>
          <p class="lead">这是嵌入了 Kefu 客服组件的演示商店：点击右下角的聊天按钮。</p>
          <section class="products">
            <article><h2>Milk candy · 奶糖</h2><p>¥12.00</p></article>
            <article><h2>Sour gummies · 酸味软糖</h2><p>¥15.50</p></article>
            <article><h2>Dark chocolate · 黑巧克力</h2><p>¥28.00</p></article>
          </section>
        </main>
        {{SNIPPET}}
        </body>
        </html>
        """;
}
