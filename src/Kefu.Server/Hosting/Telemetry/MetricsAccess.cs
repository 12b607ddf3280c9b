using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting.Telemetry;

/// <summary>
/// The gate in front of the Prometheus exporter: a client from <see cref="MetricsOptions.AllowedNetworks"/>, or one
/// that shows <see cref="MetricsOptions.Token"/>, is let through; anyone else gets 401 (with a token configured, so a
/// scraper knows to send one) or 403, and the exporter never runs. The figures are node-wide, across workspaces:
/// no workspace admin, let alone a visitor, may read them.
/// </summary>
internal sealed partial class MetricsAccess
{
    private readonly IPNetwork[] _networks;
    private readonly byte[]? _token;
    private readonly ILogger<MetricsAccess> _logger;

    public MetricsAccess(IOptions<MetricsOptions> options, ILogger<MetricsAccess> logger)
    {
        _logger = logger;
        var networks = options.Value.AllowedNetworks.Length == 0 ? MetricsOptions.Loopback : options.Value.AllowedNetworks;
        _networks = [.. networks.Select(n => IPAddress.TryParse(n, out var a) ? new IPNetwork(a, a.GetAddressBytes().Length * 8) : IPNetwork.Parse(n))];
        _token = string.IsNullOrEmpty(options.Value.Token) ? null : Encoding.UTF8.GetBytes(options.Value.Token);
    }

    public async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var status = Check(http);
        if (status == StatusCodes.Status200OK)
        {
            await next();
            return;
        }

        LogRefused(_logger, status);
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"kefu-metrics\"";
        }
    }

    private int Check(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // A token that was sent must be right, even from an allowed network: a wrong one is a mistake to surface.
            return _token is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), _token)
                ? StatusCodes.Status200OK
                : StatusCodes.Status401Unauthorized;
        }

        if (http.Connection.RemoteIpAddress is { } address)
        {
            var client = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            if (_networks.Any(n => n.Contains(client)))
            {
                return StatusCodes.Status200OK;
            }
        }

        return _token is null ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "A /metrics request was refused with {Status}")]
    private static partial void LogRefused(ILogger logger, int status);
}
