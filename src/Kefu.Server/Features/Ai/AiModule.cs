using Kefu.Server.Features.Bot.Contracts;

namespace Kefu.Server.Features.Ai;

/// <summary>
/// The optional LLM (off by default): per-workspace OpenAI-compatible settings, one gateway with timeout, size limit,
/// token budget and cost log, the bot's grounded answers, and helpers for agents. See docs/llm.md and ADR 0034.
/// </summary>
internal static class AiModule
{
    public static IServiceCollection AddAi(this IServiceCollection services)
    {
        services.AddTransient<AiResponseLimit>();
        services.AddHttpClient(AiGateway.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // The gateway's own timeout bounds the call; no redirects (an endpoint is configured as it is).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
            .AddHttpMessageHandler<AiResponseLimit>();
        services.AddSingleton<AiGateway>();
        services.AddSingleton<IUnsureAnswerer, GroundedAnswerer>();
        services.AddSingleton<GetAiSettings>();
        services.AddSingleton<UpdateAiSettings>();
        services.AddSingleton<TestAiSettings>();
        return services;
    }

    public static IEndpointRouteBuilder MapAiEndpoints(this IEndpointRouteBuilder api)
    {
        GetAiSettings.Map(api);
        UpdateAiSettings.Map(api);
        TestAiSettings.Map(api);
        return api;
    }
}
