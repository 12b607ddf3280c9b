using System.ComponentModel.DataAnnotations;

namespace Kefu.Server.Features.Accounts;

/// <summary>First-start demo workspace, section <c>Kefu:Seed</c> (env: <c>Kefu__Seed__AdminEmail</c> …).</summary>
public sealed class SeedOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Kefu:Seed";

    /// <summary>Create the demo workspace when the database is empty.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>E-mail of the first admin (who is also an agent).</summary>
    [EmailAddress]
    public string AdminEmail { get; set; } = "admin@kefu.local";

    /// <summary>Password of the first admin. When empty a strong one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Turn the bot on for the demo inbox (the bilingual demo FAQ is seeded either way).</summary>
    public bool DemoBot { get; set; } = true;

    /// <summary>
    /// Where the demo flows reach Kefu's own demo order API (<c>/demo/orders/{number}</c>): the workspace's HTTP action base
    /// URL, its host allowed although it is loopback. Applies when the demo workspace is first created.
    /// </summary>
    public string DemoFlowsBaseUrl { get; set; } = "http://127.0.0.1:5000";
}
