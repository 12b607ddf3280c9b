namespace Kefu.Server.Features.Automation;

/// <summary>Automation settings (<c>Kefu:Automation</c>).</summary>
public sealed class AutomationOptions
{
    /// <summary>How many rule runs may lead to another (a rule's message triggering a rule …) before the chain stops.</summary>
    public int MaxDepth { get; set; } = 3;

    /// <summary>How often idle rules look for quiet conversations.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long another node's rule change may take to reach this node's rule cache.</summary>
    public TimeSpan RuleCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);
}
