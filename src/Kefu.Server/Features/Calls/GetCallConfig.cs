using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Features.Calls.Contracts;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// The ICE servers a client builds its peer connection with: STUN as configured, TURN with a credential of the coturn
/// REST scheme (<c>use-auth-secret</c>): username <c>expiry:id</c>, password base64(HMAC-SHA1(secret, username)). coturn
/// checks both with the shared secret, so Kefu keeps no TURN accounts, and a leaked credential stops working at expiry.
/// </summary>
internal sealed class GetCallConfig(CallLifecycle lifecycle)
{
    /// <summary>The config; <paramref name="visitor"/> is what the asking visitor's inbox allows (null for an agent: the server's setting).</summary>
    public IceConfigDto Handle(VisitorCallMedia? visitor = null)
    {
        var options = lifecycle.Options;
        var expires = lifecycle.Now + options.TurnCredentialLifetime;
        var servers = new List<IceServerDto>();
        if (!options.Enabled)
        {
            // No calls, no relay: a TURN credential would only make the TURN server an open relay for whoever asks.
            return new IceConfigDto(servers, options.RelayOnly, expires, false, VisitorCallMedia.None);
        }

        if (options.StunUrls.Length > 0)
        {
            servers.Add(new IceServerDto(options.StunUrls));
        }

        if (options.TurnUrls.Length > 0 && options.TurnSecret is { Length: > 0 } secret)
        {
            // The id part is random: coturn logs usernames, and they should not name a visitor or an agent.
            var username = ((DateTimeOffset)DateTime.SpecifyKind(expires, DateTimeKind.Utc)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
                + ":" + Guid.NewGuid().ToString("N")[..16];
            servers.Add(new IceServerDto(options.TurnUrls, username, TurnPassword(secret, username)));
        }

        var media = visitor ?? VisitorCallMedia.All(options.VisitorsMayRequest);
        return new IceConfigDto(servers, options.RelayOnly, expires, media.Any, media);
    }

    /// <summary>coturn's REST-API password for <paramref name="username"/>.</summary>
    public static string TurnPassword(string secret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
}
