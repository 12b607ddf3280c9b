using System.Net;
using System.Net.Sockets;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>Thrown when a webhook would reach an address that is not public; the attempt fails without a request.</summary>
internal sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps webhooks off the server's own network (SSRF): only http(s) URLs whose host is a public address, or a name
/// that resolves only to public addresses. Checked when a subscription is saved and again on the address actually
/// connected (<see cref="ConnectAsync"/>), so a name that resolves elsewhere later (DNS rebinding) is refused too.
/// </summary>
internal sealed class WebhookAddressGuard
{
    /// <summary>Not public: this host, private networks, link-local and cloud metadata, CGNAT, documentation, multicast, reserved.</summary>
    private static readonly IPNetwork[] Refused =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            // IPv6: unspecified, loopback and IPv4-compatible (::/96), NAT64 and 6to4 (they embed an IPv4 address we
            // would have to trust), discard, IETF and Teredo, documentation, unique-local (fd00:ec2::254 is a metadata
            // address), link-local, site-local, multicast.
            "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7",
            "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(n => IPNetwork.Parse(n)),
    ];

    private readonly IPNetwork[] _allowed;

    public WebhookAddressGuard(IOptions<WebhookOptions> options) =>
        _allowed = [.. options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n))];

    /// <summary>True when a webhook may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(IPAddress address)
    {
        // ::ffff:127.0.0.1 is 127.0.0.1: judge IPv4-mapped addresses as the IPv4 address they carry.
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _allowed.Any(n => n.Contains(ip)) || !Refused.Any(n => n.Contains(ip));
    }

    /// <summary>
    /// The URL's form alone, without DNS: an absolute http(s) URL without user info, whose host is a name or a
    /// canonical IP address. Numeric hosts in other forms (<c>0x7f.1</c>, <c>2130706433</c>, <c>0177.0.0.1</c>) are
    /// refused outright: resolvers and URL parsers disagree on what they mean.
    /// </summary>
    public static (Uri? Uri, KefuError? Error) Parse(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0 || text.Length > WebhookRules.MaxUrlLength)
        {
            return (null, Invalid("Enter the receiver's address, http:// or https://, at most 2000 characters."));
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, Invalid("Only http:// and https:// addresses can receive webhooks."));
        }

        if (uri.UserInfo.Length > 0 || RawHost(text) is not { Length: > 0 } raw)
        {
            return (null, Invalid("The address may not carry a user name or password."));
        }

        if (uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) ||
            (!raw.StartsWith('[') && IsNumericForm(raw) && !IsCanonicalIPv4(raw)))
        {
            return (null, Invalid("Write an IP address as four decimal numbers (or use a name); other numeric forms are refused."));
        }

        return (uri, null);
    }

    /// <summary>At save time: the form (<see cref="Parse"/>), then the host's addresses, every one of which must be allowed.</summary>
    public async Task<(Uri? Uri, KefuError? Error)> CheckAsync(string? url, CancellationToken cancellationToken)
    {
        var (uri, error) = Parse(url);
        if (uri is null)
        {
            return (null, error);
        }

        try
        {
            await ResolveAsync(uri.IdnHost, cancellationToken);
            return (uri, null);
        }
        catch (WebhookAddressRefusedException e)
        {
            return (null, Invalid(e.Message));
        }
    }

    /// <summary>The host's addresses; throws <see cref="WebhookAddressRefusedException"/> when it has none or any is not allowed.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new WebhookAddressRefusedException("The receiver's name does not resolve.");
            }
        }

        // Every address, not the first: a name that also resolves to a private address could be steered to it.
        if (addresses.Length == 0 || addresses.Any(a => !IsAllowed(a)))
        {
            throw new WebhookAddressRefusedException("The receiver's address is not public (private, loopback, link-local, CGNAT or metadata addresses are refused).");
        }

        return addresses;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host itself, checks every address and connects
    /// only to checked ones, so what is connected is what was checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new WebhookAddressRefusedException("The receiver's name does not resolve.");
    }

    private static KefuError Invalid(string message) => WebhookErrors.Invalid("url", message);

    /// <summary>The host as written (before the URL parser normalised it), or null when there is user info.</summary>
    private static string? RawHost(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var end = url.IndexOfAny(['/', '?', '#', '\\'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        if (authority.Contains('@'))
        {
            return null;
        }

        if (authority.StartsWith('['))
        {
            return authority;
        }

        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>True when the host's last label is numeric (decimal, octal or 0x hex): parsers read such hosts as IPv4.</summary>
    private static bool IsNumericForm(string host)
    {
        var last = host.TrimEnd('.').Split('.')[^1];
        return last.Length > 0 && (last.All(char.IsAsciiDigit) ||
            (last.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && last[2..].All(char.IsAsciiHexDigit)));
    }

    private static bool IsCanonicalIPv4(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }
}
