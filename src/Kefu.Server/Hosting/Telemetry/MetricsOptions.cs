using System.Net;

namespace Kefu.Server.Hosting.Telemetry;

/// <summary>Who may read <c>/metrics</c>, section <c>Kefu:Metrics</c> (docs/operations.md, "Metrics and traces").</summary>
public sealed class MetricsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Metrics";

    /// <summary>The shortest token accepted: a guessable one would open the node's figures to anyone who can reach it.</summary>
    public const int MinTokenLength = 24;

    /// <summary>Serve <c>/metrics</c> at all (default on). Off: the path is not mapped and no Prometheus exporter runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Client addresses or networks (<c>10.0.0.0/8</c>) that may scrape without a token. Empty (the default): loopback
    /// only (<see cref="Loopback"/>); a list replaces loopback rather than adding to it. Behind
    /// a proxy listed in <c>Kefu:Hosting:TrustedProxies</c> this is the client the proxy names, so a scraper on the
    /// internal network should reach the node directly rather than through the public proxy.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>What an empty <see cref="AllowedNetworks"/> means: the node itself (a sidecar, <c>curl</c> on the host).</summary>
    public static readonly string[] Loopback = ["127.0.0.0/8", "::1/128"];

    /// <summary>
    /// A bearer token (<c>Authorization: Bearer …</c>, at least <see cref="MinTokenLength"/> characters) that lets a
    /// scraper in from any address. Empty (default): only <see cref="AllowedNetworks"/>.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>Null when valid, otherwise a message naming the wrong value.</summary>
    public string? Problem()
    {
        foreach (var network in AllowedNetworks)
        {
            if (!IPAddress.TryParse(network, out _) && !IPNetwork.TryParse(network, out _))
            {
                return $"{Section}:AllowedNetworks: '{network}' is neither an IP address nor a network such as 10.0.0.0/8.";
            }
        }

        return Token is { Length: > 0 and < MinTokenLength }
            ? $"{Section}:Token: use at least {MinTokenLength} random characters (for example: openssl rand -hex 24)."
            : null;
    }
}
