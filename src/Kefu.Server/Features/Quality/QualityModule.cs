using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Quality;

/// <summary>
/// Automatic quality inspection: versioned scorecards of weighted rules, every resolved conversation scored on the
/// durable lane, background rescoring after a change, a supervisors' review queue with overrides and coaching notes.
/// See <c>docs/quality.md</c> and ADR 0029.
/// </summary>
internal static class QualityModule
{
    public static IServiceCollection AddQuality(this IServiceCollection services)
    {
        services.AddOptions<QualityOptions>().BindConfiguration(QualityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ScorecardCache>();
        services.AddSingleton<ScoreWriter>();
        services.AddSingleton<QualityScores>();
        services.AddSingleton<RescoreSignal>();
        services.AddSingleton<WakeSignal>(sp => sp.GetRequiredService<RescoreSignal>());
        services.AddSingleton<SaveScorecard>();
        services.AddSingleton<ListScorecards>();
        services.AddSingleton<GetConversationScores>();
        services.AddSingleton<GetReviewQueue>();
        services.AddSingleton<OverrideScoreItem>();
        services.AddSingleton<SetCoachingNote>();
        services.AddSingleton<IOutboxConsumer, ScoreResolvedConversations>();
        services.AddSingleton<Rescorer>();
        services.AddHostedService(sp => sp.GetRequiredService<Rescorer>());
        return services;
    }

    public static IEndpointRouteBuilder MapQualityEndpoints(this IEndpointRouteBuilder api)
    {
        SaveScorecard.Map(api);
        ListScorecards.Map(api);
        GetConversationScores.Map(api);
        GetReviewQueue.Map(api);
        OverrideScoreItem.Map(api);
        SetCoachingNote.Map(api);
        return api;
    }
}
