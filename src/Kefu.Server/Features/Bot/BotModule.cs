using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Bot;

/// <summary>The bot: answers from the knowledge base on the durable lane, offers choices, hands off with a packet; analytics for admins.</summary>
internal static class BotModule
{
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.ChoiceThreshold <= o.AnswerThreshold, "Kefu:Bot:ChoiceThreshold must not exceed AnswerThreshold.")
            .ValidateOnStart();
        services.AddOptions<Flows.FlowOptions>().Bind(configuration.GetSection(Flows.FlowOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Flows.FlowHttp>();
        services.AddSingleton<Flows.FlowSecrets>();
        services.AddSingleton<Flows.FlowEngine>();
        services.AddSingleton<Flows.FlowContactWriter>();
        services.AddSingleton<Flows.ListFlows>();
        services.AddSingleton<Flows.GetFlow>();
        services.AddSingleton<Flows.SaveFlowDraft>();
        services.AddSingleton<Flows.PublishFlow>();
        services.AddSingleton<Flows.TestFlowDraft>();
        services.AddSingleton<Flows.SaveFlowSettings>();
        services.AddSingleton<Flows.ChangeFlowRollout>();
        services.AddSingleton<Flows.ListFlowVersions>();
        services.AddSingleton<BotDecider>();
        services.AddSingleton<RecordBotTurn>();
        services.AddSingleton<BotResponder>();
        services.AddSingleton<IOutboxConsumer>(sp => sp.GetRequiredService<BotResponder>());
        services.AddSingleton<IVoiceTurns>(sp => sp.GetRequiredService<BotResponder>());
        services.AddSingleton<ChooseAction>();
        services.AddSingleton<GetHandoffPacket>();
        services.AddSingleton<GetBotAnalytics>();
        services.AddSingleton<IPersonalDataHolder, BotPersonalData>();
        return services;
    }

    public static IEndpointRouteBuilder MapBotEndpoints(this IEndpointRouteBuilder api)
    {
        GetHandoffPacket.Map(api);
        GetBotAnalytics.Map(api);
        Flows.ListFlows.Map(api);
        Flows.GetFlow.Map(api);
        Flows.SaveFlowDraft.Map(api);
        Flows.PublishFlow.Map(api);
        Flows.TestFlowDraft.Map(api);
        Flows.ChangeFlowRollout.Map(api);
        Flows.ListFlowVersions.Map(api);
        Flows.SaveFlowSettings.Map(api);
        return api;
    }
}
