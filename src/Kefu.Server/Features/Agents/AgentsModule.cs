using Kefu.Server.Features.Agents.Contracts;

namespace Kefu.Server.Features.Agents;

/// <summary>Agents: for now, who is connected (presence) and whether anyone can take a conversation.</summary>
internal static class AgentsModule
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<IAgentAvailability>(sp => sp.GetRequiredService<AgentPresence>());
        return services;
    }
}
