using Kefu.Server.Features.Agents.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Routing;

/// <summary>Queues, routing strategies, offers, transfers, business hours and the router worker.</summary>
internal static class RoutingModule
{
    public static IServiceCollection AddConversationRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoutingSignal>();
        services.AddSingleton<WakeSignal>(sp => sp.GetRequiredService<RoutingSignal>());
        services.AddSingleton<RoutingStats>();
        services.AddSingleton<IInboxHours, InboxHoursReader>();
        services.AddSingleton<RoutingAgents>();
        services.AddSingleton<QueuePositions>();
        services.AddSingleton<OfferExpiry>();
        services.AddSingleton<RoutingPass>();
        services.AddSingleton<EnqueueConversation>();
        services.AddSingleton<IOutboxConsumer, RoutingEvents>();
        services.AddSingleton<IOutboxConsumer, EscalateAngryVisitor>();
        services.AddSingleton<AssignConversation>();
        services.AddSingleton<TakeConversation>();
        services.AddSingleton<AnswerOffer>();
        services.AddSingleton<TransferConversation>();
        services.AddSingleton<ChangePriority>();
        services.AddSingleton<IConversationRelease, ReturnToLine>();
        services.AddSingleton<ListTransferTargets>();
        services.AddSingleton<ReassignConversation>();
        services.AddSingleton<IRoutingCommands, RoutingCommands>();
        services.AddSingleton<SetInboxRouting>();
        services.AddSingleton<GetInboxRouting>();
        services.AddSingleton<LeaveMessage>();
        services.AddSingleton<ILeftMessages>(sp => sp.GetRequiredService<LeaveMessage>());
        services.AddSingleton<GetRoutingOverview>();
        services.AddSingleton<GetTimeline>();
        services.AddSingleton<IAgentAvailability, AgentAvailability>();
        services.AddSingleton<ITeamReferences, TeamReferences>();
        services.AddHostedService<Router>();
        return services;
    }

    public static IEndpointRouteBuilder MapConversationRoutingEndpoints(this IEndpointRouteBuilder api)
    {
        TakeConversation.Map(api);
        AnswerOffer.Map(api);
        TransferConversation.Map(api);
        ChangePriority.Map(api);
        ListTransferTargets.Map(api);
        ReassignConversation.Map(api);
        SetInboxRouting.Map(api);
        GetInboxRouting.Map(api);
        GetRoutingOverview.Map(api);
        GetTimeline.Map(api);
        return api;
    }
}
