using Kefu.Server.Features.Calls.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Features.Calls;

/// <summary>
/// Voice and video calls and screen sharing between a visitor and an agent (issue 19, ADR 0035): the call state machine
/// and WebRTC signalling over the two hubs (<c>Realtime/AgentHub.Calls.cs</c>, <c>VisitorHub.Calls.cs</c>), ICE
/// servers with TURN credentials, and the call events in the conversation's timeline. Media never passes through Kefu.
/// </summary>
internal static class CallsModule
{
    public static IServiceCollection AddCalls(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CallsOptions>().Bind(configuration.GetSection(CallsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallRegistry>();
        services.AddSingleton<ICallFanout, Realtime.CallFanout>();
        services.AddSingleton<CallLifecycle>();
        services.AddSingleton<StartCall>();
        services.AddSingleton<AnswerCall>();
        services.AddSingleton<HangUpCall>();
        services.AddSingleton<RelayCallSignal>();
        services.AddSingleton<GetCallConfig>();
        services.AddSingleton<InboxCallSettingsStore>();
        services.AddSingleton<CallNotices>();
        services.AddSingleton<CallStartBudget>();
        services.AddSingleton<CallPresence>();
        services.AddSingleton<ICallConversationWatch, Realtime.CallConversationWatch>();
        services.AddSingleton<Realtime.CallConnectionFilter>();
        services.Configure<HubOptions>(o => o.AddFilter<Realtime.CallConnectionFilter>());
        services.AddSingleton<CallHubs>();
        services.AddHostedService<CallRingSweep>();
        return services;
    }

    public static IEndpointRouteBuilder MapCallEndpoints(this IEndpointRouteBuilder api)
    {
        InboxCallSettingsStore.Map(api);
        return api;
    }
}
