using Kefu.Server.Features.Agents.Contracts;

namespace Kefu.Server.Features.Agents;

/// <summary>People of a workspace (agents, supervisors, admins), who is connected, and whether anyone can take a conversation.</summary>
internal static class AgentsModule
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<IAgentAvailability>(sp => sp.GetRequiredService<AgentPresence>());
        services.AddScoped<CreateAgent>();
        return services;
    }

    public static IEndpointRouteBuilder MapAgentsEndpoints(this IEndpointRouteBuilder api)
    {
        CreateAgent.Map(api);
        return api;
    }
}
