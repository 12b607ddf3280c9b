using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>API keys, section <c>Kefu:ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:ApiKeys";

    /// <summary>
    /// Requests one key may make per minute (a token bucket: up to this many at once, then one every
    /// 60/<c>RequestsPerMinute</c> seconds). Beyond it: 429 with <c>Retry-After</c>. Per node, like every rate limit.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>How many keys a workspace may hold (revoked ones not counted).</summary>
    [Range(1, 10_000)]
    public int MaxKeysPerWorkspace { get; set; } = 100;
}
