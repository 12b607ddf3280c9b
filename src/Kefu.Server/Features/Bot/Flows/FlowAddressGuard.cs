using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>Thrown when an HTTP action would reach an address that is not public and not allowed; no request is sent.</summary>
internal sealed class FlowAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps HTTP actions off the server's own network (SSRF): a host that resolves to a private, loopback, link-local,
/// CGNAT, metadata or other non-public address is refused unless the workspace's admin allowed that host <b>and port</b>
/// (<c>host:port</c>; an entry without a port allows only the scheme's default port, 80 or 443), so allowing an order
/// system on the same machine does not open every other local service. Checked at save and again on the address
/// actually connected (<see cref="ConnectAsync"/>), which also covers redirects (each new host is a new connection) and
/// DNS rebinding.
/// </summary>
internal sealed class FlowAddressGuard(IReadOnlySet<string> allowedHosts)
{
    private static readonly IPNetwork[] Refused =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4",
            "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "fc00::/7",
            "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(n => IPNetwork.Parse(n)),
    ];

    /// <summary>True when <paramref name="address"/> is public (IPv4-mapped IPv6 judged as the IPv4 address it carries).</summary>
    public static bool IsPublic(IPAddress address)
    {
        var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return !Refused.Any(n => n.Contains(ip));
    }

    /// <summary>
    /// The host's addresses; throws <see cref="FlowAddressRefusedException"/> when it has none, or any is not public and
    /// the host and port are not allowed (<paramref name="scheme"/> gives the default port an entry without one allows).
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, int port, string? scheme, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(bare, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                addresses = await Dns.GetHostAddressesAsync(bare, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new FlowAddressRefusedException("The host's name does not resolve.");
            }
        }

        if (addresses.Length == 0 || (!Allows(allowedHosts, bare, port, scheme) && addresses.Any(a => !IsPublic(a))))
        {
            throw new FlowAddressRefusedException($"The address of '{bare}' (port {port}) is not public (private, loopback, link-local, CGNAT or metadata addresses are refused unless an admin allows that host and port).");
        }

        return addresses;
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: connects only to addresses it has just checked.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // The request's scheme (after a redirect, the redirect's: the handler resends the same message with the new URI).
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, context.InitialRequestMessage.RequestUri?.Scheme, cancellationToken);
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
            catch
            {
                // Cancelled (the action's deadline) or anything else: the socket is closed now, not by a finalizer.
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new FlowAddressRefusedException("The host's name does not resolve.");
    }

    /// <summary>Whether the admin's entries allow <paramref name="host"/> on <paramref name="port"/>: <c>host:port</c>, or <c>host</c> on the scheme's default port.</summary>
    public static bool Allows(IReadOnlySet<string> allowed, string host, int port, string? scheme)
    {
        var name = HostName(host.Trim('[', ']'));
        var defaultPort = scheme switch { "http" => 80, "https" => 443, _ => -1 };
        return allowed.Contains(name + ":" + port.ToString(CultureInfo.InvariantCulture)) || (port == defaultPort && allowed.Contains(name));
    }

    /// <summary>
    /// One allowed entry as stored: a lower-case host name or IP address (IPv6 in brackets), then <c>:port</c> when one
    /// was given; null when it is not a host with an optional port of 1–65535.
    /// </summary>
    public static string? NormalizeEntry(string? entry)
    {
        var text = entry?.Trim().ToLowerInvariant() ?? "";
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    return null;
                }

                port = rest[1..];
            }
        }
        else if (text.Count(c => c == ':') == 1)
        {
            (host, port) = (text[..text.IndexOf(':', StringComparison.Ordinal)], text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        }
        else
        {
            host = text; // no colon, or a bare IPv6 address (no port)
        }

        if (host.Length is 0 or > 253 || (Uri.CheckHostName(host) == UriHostNameType.Unknown && !IPAddress.TryParse(host, out _)))
        {
            return null;
        }

        if (port is null)
        {
            return HostName(host);
        }

        return port.Length is > 0 and <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, CultureInfo.InvariantCulture) is >= 1 and <= 65535 and var p
            ? HostName(host) + ":" + p.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>A host as entries name it: lower case, an IP address in its canonical form, IPv6 in brackets.</summary>
    private static string HostName(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + ip + "]" : ip.ToString() : host.ToLowerInvariant();

    /// <summary>Allowed entries as stored (space separated), normalised to a set (an entry that no longer parses allows nothing).</summary>
    public static IReadOnlySet<string> ParseHosts(string? hosts) =>
        new HashSet<string>((hosts ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(NormalizeEntry).OfType<string>(), StringComparer.Ordinal);
}
