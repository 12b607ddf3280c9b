namespace Kefu.Server.Features.Accounts.People;

/// <summary>Managing people: create or invite, edit, reactivate; part of Accounts, wired by <see cref="AccountsModule"/>.</summary>
internal static class PeopleModule
{
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddScoped<PeopleGuard>();
        services.AddScoped<AgentInvitations>();
        services.AddScoped<ListAgents>();
        services.AddScoped<GetAgent>();
        services.AddScoped<CreateAgent>();
        services.AddScoped<UpdateAgent>();
        services.AddScoped<ReactivateAgent>();
        services.AddScoped<ResendInvitation>();
        services.AddScoped<AcceptInvitation>();
        return services;
    }

    public static void MapPeople(IEndpointRouteBuilder api)
    {
        ListAgents.Map(api);
        GetAgent.Map(api);
        CreateAgent.Map(api);
        UpdateAgent.Map(api);
        ReactivateAgent.Map(api);
        ResendInvitation.Map(api);
        AcceptInvitation.Map(api);
    }
}
