using System.Net;
using System.Net.Sockets;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>Thrown when an HTTP action would reach an address that is not public and not allowed; no request is sent.</summary>
internal sealed class FlowAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps HTTP actions off the server's own network (SSRF): a host that resolves to a private, loopback, link-local,
/// CGNAT, metadata or other non-public address is refused unless the workspace's admin allowed that host by name.
/// Checked at save and again on the address actually connected (<see cref="ConnectAsync"/>), which also covers redirects
/// (each new host is a new connection) and DNS rebinding.
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

    /// <summary>The host's addresses; throws <see cref="FlowAddressRefusedException"/> when it has none, or any is not public and the host is not allowed.</summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
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

        if (addresses.Length == 0 || (!allowedHosts.Contains(bare.ToLowerInvariant()) && addresses.Any(a => !IsPublic(a))))
        {
            throw new FlowAddressRefusedException($"The address of '{bare}' is not public (private, loopback, link-local, CGNAT or metadata addresses are refused unless an admin allows the host).");
        }

        return addresses;
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: connects only to addresses it has just checked.</summary>
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

        throw last ?? new FlowAddressRefusedException("The host's name does not resolve.");
    }

    /// <summary>Allowed hosts as stored (space separated), normalised to a set.</summary>
    public static IReadOnlySet<string> ParseHosts(string? hosts) =>
        new HashSet<string>((hosts ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()), StringComparer.Ordinal);
}
