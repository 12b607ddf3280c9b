using Kefu.Server.Features.Channels.Contracts;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>Which browser origins may use an inbox.</summary>
internal static class OriginPolicy
{
    /// <summary>
    /// True when the request has no Origin (not a browser: mobile SDKs, servers), comes from Kefu's
    /// own origin (the widget iframe, the demo page), or from a site the inbox allows.
    /// </summary>
    public static bool IsAllowed(HttpRequest request, Inbox inbox)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return inbox.AllowedOriginList().Any(o => o == "*" || string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
