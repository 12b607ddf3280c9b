using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Automation;

/// <summary>Automation rules (durable lane and idle sweep) and macros.</summary>
internal static class AutomationModule
{
    public static IServiceCollection AddAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AutomationOptions>().Bind(configuration.GetSection("Kefu:Automation"))
            .Validate(o => o.MaxDepth is >= 1 and <= 10 && o.SweepInterval > TimeSpan.Zero && o.RuleCacheLifetime > TimeSpan.Zero, "Kefu:Automation is out of range.")
            .ValidateOnStart();
        services.AddSingleton<RuleCache>();
        services.AddSingleton<AutomationRunner>();
        services.AddSingleton<RuleApplier>();
        services.AddSingleton<IOutboxConsumer, RunAutomationRules>();
        services.AddSingleton<IdleSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSweep>());
        services.AddSingleton<SaveRule>();
        services.AddSingleton<ManageRules>();
        services.AddSingleton<ManageMacros>();
        services.AddSingleton<RunMacro>();
        services.AddSingleton<AutoResolvePreset>();
        return services;
    }

    public static IEndpointRouteBuilder MapAutomationEndpoints(this IEndpointRouteBuilder api)
    {
        SaveRule.Map(api);
        ManageRules.Map(api);
        ManageMacros.Map(api);
        RunMacro.Map(api);
        AutoResolvePreset.Map(api);
        return api;
    }
}
