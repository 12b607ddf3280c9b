namespace Kefu.Server.Features.Webhooks;

/// <summary>Webhook delivery, section <c>Kefu:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Webhooks";

    /// <summary>
    /// Networks (CIDR, e.g. <c>127.0.0.1/32</c>) a webhook may reach although they are not public. Empty by default:
    /// private, loopback, link-local, CGNAT and metadata addresses are refused. Tests list the loopback address of the
    /// receiver they start; an operator may list an internal network on purpose. Anything listed here is reachable by
    /// every workspace admin's webhook.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>How long one attempt may take, connection, request and answer together (real time).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How much of an answer is read; the rest is never downloaded.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>How long a failing delivery is retried before it is dead.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a subscription's receiver may fail before Kefu pauses it and tells the admins.</summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait after the first failure; it doubles after each one, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Attempts in flight per workspace: a slow receiver holds at most this many, never another workspace's.</summary>
    public int ConcurrencyPerWorkspace { get; set; } = 2;

    /// <summary>Attempts in flight on this node, all workspaces together.</summary>
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>How long the delivery log keeps a delivery that succeeded or died.</summary>
    public TimeSpan KeepDeliveriesFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long another node's subscription change may take to reach this node's cache.</summary>
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    internal bool IsValid() =>
        Timeout > TimeSpan.Zero && Timeout <= TimeSpan.FromMinutes(1) && MaxResponseBytes is >= 1024 and <= 1024 * 1024 &&
        RetryFor > TimeSpan.Zero && PauseAfter > TimeSpan.Zero && FirstRetryDelay > TimeSpan.Zero && MaxRetryDelay >= FirstRetryDelay &&
        ConcurrencyPerWorkspace is >= 1 and <= 16 && MaxConcurrency >= ConcurrencyPerWorkspace && CacheLifetime > TimeSpan.Zero &&
        KeepDeliveriesFor >= TimeSpan.FromDays(1) &&
        AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _));
}
