using Kefu.Server.Features.Channels;
using Kefu.Server.Features.Channels.Contracts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Which browser origins may act with a request's credentials. One rule for both kinds of
/// credential a browser sends by itself: the visitor hub answers only the inbox's sites, and
/// anything that rides on the console cookie answers only Kefu's own origin.
/// </summary>
internal static partial class OriginPolicy
{
    /// <summary><c>scheme://host[:port]</c> in lower case without a default port; null when it is not an http(s) origin.</summary>
    public static string? Normalize(string? origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }

    /// <summary>
    /// True for Kefu's own origin as this request reached it (after forwarded headers from trusted
    /// proxies). A request that arrived over plain HTTP also accepts HTTPS on the same host: that is a
    /// TLS proxy in front of Kefu, and a page on <c>https://</c> that host is Kefu's own. The reverse
    /// (a plain HTTP page acting on an HTTPS request) is refused.
    /// </summary>
    public static bool IsOwnOrigin(HttpRequest request, string normalizedOrigin) =>
        normalizedOrigin == Normalize($"{request.Scheme}://{request.Host}") ||
        !request.IsHttps && normalizedOrigin == Normalize($"https://{request.Host}");

    /// <summary>
    /// Widget rule: true when the request has no Origin (not a browser: mobile SDKs, servers), comes
    /// from Kefu's own origin (the widget iframe, the demo page), or from a site the inbox allows.
    /// </summary>
    public static bool IsAllowedForInbox(HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var normalized = Normalize(origin);
        return normalized is not null && (IsOwnOrigin(request, normalized) ||
            allowedOrigins.Any(o => o == "*" || Normalize(o.TrimEnd('/')) == normalized));
    }

    /// <summary>
    /// Console-cookie rule: the browser says the request comes from Kefu's own origin or a configured
    /// console origin. Same site is not enough: a sibling (<c>shop.example.com</c> beside
    /// <c>kefu.example.com</c>, or another port of the same host) gets the Lax cookie too. Without an
    /// Origin header, <c>Sec-Fetch-Site</c> decides; with neither it is not a browser, and only a
    /// browser can be tricked into sending a cookie.
    /// </summary>
    public static bool IsAllowedForCookie(HttpRequest request, IReadOnlyCollection<string> consoleOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            var site = request.Headers["Sec-Fetch-Site"].ToString();
            return site is "" or "same-origin" or "none";
        }

        var normalized = Normalize(origin); // "null" (sandboxed frames, data: URLs) normalizes to null: refused
        return normalized is not null && (IsOwnOrigin(request, normalized) || consoleOrigins.Contains(normalized));
    }

    /// <summary>
    /// Refuses, before any endpoint runs (403 on negotiate and on the WebSocket upgrade alike):
    /// visitor hub connections from sites the visitor's inbox does not allow; and requests that
    /// carry the console cookie as their credential from any other origin than Kefu's own, when they
    /// can change state (every method but GET, HEAD, OPTIONS) or open a realtime connection (the
    /// agent hub, the console's Blazor circuit). Bearer-token requests are not affected: a browser
    /// never adds that header by itself.
    /// </summary>
    public static IApplicationBuilder UseOriginChecks(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/hubs/visitor"))
        {
            // On this path the default scheme forwards to the Visitor scheme (AccountsModule), so User is the visitor.
            var visitor = VisitorIdentity.From(http.User);
            if (visitor is not null)
            {
                var inbox = await http.RequestServices.GetRequiredService<InboxDirectory>().ByIdAsync(visitor.InboxId, http.RequestAborted);
                if (inbox is null || inbox.ArchivedAt is not null || !IsAllowedForInbox(request, inbox.AllowedOriginList()))
                {
                    await RefuseAsync(http);
                    return;
                }
            }
        }
        else if (CarriesConsoleCookie(http) && (!IsSafeMethod(request.Method) || IsRealtimePath(request.Path)))
        {
            var origins = http.RequestServices.GetRequiredService<IOptionsMonitor<HostingOptions>>().CurrentValue.ConsoleOrigins;
            if (!IsAllowedForCookie(request, origins.Select(Normalize).OfType<string>().ToArray()))
            {
                LogForeignOrigin(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OriginPolicy)),
                    request.Method, request.Path.Value ?? "", Normalize(request.Headers.Origin.ToString()) ?? "(none)");
                await RefuseAsync(http);
                return;
            }
        }

        await next(http);
    });

    private static bool IsSafeMethod(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool IsRealtimePath(PathString path) => path.StartsWithSegments("/hubs") || path.StartsWithSegments("/_blazor");

    /// <summary>The cookie is the credential: it is present and no bearer token takes its place (AccountsModule picks the scheme the same way).</summary>
    private static bool CarriesConsoleCookie(HttpContext http)
    {
        var request = http.Request;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
            request.Path.StartsWithSegments("/hubs") && request.Query.ContainsKey("access_token"))
        {
            return false;
        }

        var name = http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme).Cookie.Name;
        return name is not null && request.Cookies.ContainsKey(name);
    }

    private static Task RefuseAsync(HttpContext http) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Requests from this site are not allowed.",
            type: "https://kefu.dev/problems/origin-not-allowed").ExecuteAsync(http);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Refused a console-cookie {Method} {Path} from origin {Origin}")]
    private static partial void LogForeignOrigin(ILogger logger, string method, string path, string origin);
}
