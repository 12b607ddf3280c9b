using System.Net;

namespace Kefu.Server.Hosting;

/// <summary>How Kefu is reached from browsers and proxies, section <c>Kefu:Hosting</c>.</summary>
public sealed class HostingOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Hosting";

    /// <summary>
    /// Reverse proxies whose <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> headers are believed:
    /// single addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>). Empty (the default): the
    /// headers are ignored, so a client cannot claim another address, scheme or host.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>
    /// Origins besides Kefu's own (<c>scheme://host[:port]</c> of the request) from which a browser
    /// may use the console cookie: the agent hub, the console and every cookie-authenticated POST.
    /// Needed only when the console is reached under a name the request does not carry.
    /// </summary>
    public string[] ConsoleOrigins { get; set; } = [];

    /// <summary>
    /// When the sign-in cookie is marked <c>Secure</c>: <c>SameAsRequest</c> (the default; behind a
    /// TLS proxy listed in <see cref="TrustedProxies"/> the request reads as HTTPS) or <c>Always</c>.
    /// </summary>
    public CookieSecurePolicy AuthCookieSecure { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>
    /// <c>Strict-Transport-Security</c> max-age sent with every HTTPS answer (directly or behind a trusted TLS proxy);
    /// zero sends none. Never sent over plain HTTP, where a browser ignores it anyway.
    /// </summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Null when valid, otherwise a message naming the wrong value.</summary>
    public string? Problem()
    {
        foreach (var proxy in TrustedProxies)
        {
            if (!IPAddress.TryParse(proxy, out _) && !IPNetwork.TryParse(proxy, out _))
            {
                return $"{Section}:TrustedProxies: '{proxy}' is neither an IP address nor a network such as 10.0.0.0/8.";
            }
        }

        foreach (var origin in ConsoleOrigins)
        {
            if (OriginPolicy.Normalize(origin) is null)
            {
                return $"{Section}:ConsoleOrigins: '{origin}' is not an origin such as https://kefu.example.com (scheme and host, no path).";
            }
        }

        if (HstsMaxAge < TimeSpan.Zero)
        {
            return $"{Section}:HstsMaxAge: must be zero (off) or positive, e.g. 365.00:00:00.";
        }

        return AuthCookieSecure == CookieSecurePolicy.None ? $"{Section}:AuthCookieSecure: use SameAsRequest or Always." : null;
    }
}
