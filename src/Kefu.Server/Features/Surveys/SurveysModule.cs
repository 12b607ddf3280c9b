using Kefu.Server.Features.Surveys.Contracts;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// Satisfaction surveys (CSAT, NPS, CES): templates, per-inbox rules, the survey posted in the conversation, the
/// visitor's answer from the widget, and low-score recovery. <c>survey.answered</c> goes on the durable lane for
/// reporting and integrations.
/// </summary>
internal static class SurveysModule
{
    public static IServiceCollection AddSurveys(this IServiceCollection services)
    {
        services.AddSingleton<ListSurveyTemplates>();
        services.AddSingleton<SaveSurveyTemplate>();
        services.AddSingleton<GetSurveyRule>();
        services.AddSingleton<SetSurveyRule>();
        services.AddSingleton<SurveySender>();
        services.AddSingleton<SendSurvey>();
        services.AddSingleton<ListConversationSurveys>();
        services.AddSingleton<GetVisitorSurvey>();
        services.AddSingleton<AnswerSurvey>();
        services.AddSingleton<LowScoreRecovery>();
        services.AddSingleton<ISurveyTicketThresholds, SurveyTicketThresholds>();
        services.AddSingleton<IOutboxConsumer, SendSurveyOnResolve>();
        services.AddHostedService<SilenceSweep>();
        return services;
    }

    public static IEndpointRouteBuilder MapSurveysEndpoints(this IEndpointRouteBuilder api)
    {
        ListSurveyTemplates.Map(api);
        SaveSurveyTemplate.Map(api);
        GetSurveyRule.Map(api);
        SetSurveyRule.Map(api);
        SendSurvey.Map(api);
        ListConversationSurveys.Map(api);
        GetVisitorSurvey.Map(api);
        AnswerSurvey.Map(api);
        return api;
    }
}
