using Kefu.Server.Features.Agents.Contracts;

namespace Kefu.Server.Features.Agents;

/// <summary>People of a workspace (agents, supervisors, admins), teams, presence and routing profiles.</summary>
internal static class AgentsModule
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<IAgentPresence>(sp => sp.GetRequiredService<AgentPresence>());
        services.AddSingleton<SetPresence>();
        services.AddSingleton<UpdateAgentRouting>();
        services.AddSingleton<CreateTeam>();
        services.AddSingleton<RenameTeam>();
        services.AddSingleton<DeleteTeam>();
        services.AddSingleton<GetTeam>();
        services.AddSingleton<SetTeamMembers>();
        return services;
    }

    public static IEndpointRouteBuilder MapAgentsEndpoints(this IEndpointRouteBuilder api)
    {
        SetPresence.Map(api);
        UpdateAgentRouting.Map(api);
        CreateTeam.Map(api);
        RenameTeam.Map(api);
        DeleteTeam.Map(api);
        GetTeam.Map(api);
        SetTeamMembers.Map(api);
        return api;
    }
}
