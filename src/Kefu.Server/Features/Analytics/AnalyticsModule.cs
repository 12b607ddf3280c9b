using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Analytics;

/// <summary>
/// Reports (docs/metrics.md, ADR 0021): one fact row per conversation kept from the durable lane, hourly rollups per
/// inbox, team and agent, and the report API that reads rollups plus the hours not rolled up yet.
/// </summary>
internal static class AnalyticsModule
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>().Bind(configuration.GetSection(AnalyticsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IOutboxConsumer, RecordConversationFacts>();
        services.AddSingleton<RefreshRollups>();
        services.AddHostedService<RollupWorker>();
        services.AddSingleton<ReportRequest>();
        services.AddSingleton<GetOverviewReport>();
        services.AddSingleton<GetTrafficReport>();
        services.AddSingleton<GetAgentsReport>();
        services.AddSingleton<ExportConversationFacts>();
        services.AddSingleton<GetStaffingForecast>();
        services.AddSingleton<ExportAgentsReport>();
        return services;
    }

    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder api)
    {
        GetOverviewReport.Map(api);
        GetTrafficReport.Map(api);
        GetAgentsReport.Map(api);
        ExportConversationFacts.Map(api);
        GetStaffingForecast.Map(api);
        ExportAgentsReport.Map(api);
        return api;
    }
}
