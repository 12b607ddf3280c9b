using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Voice;

/// <summary>
/// Voice messages' transcription (issue 19, ADR 0039): per-workspace speech settings, the lane step that queues a voice
/// message, and the worker that calls the OpenAI-compatible endpoint and gives the words to the bot. The audio itself
/// is an attachment (Features/Conversations checks it by its bytes). See docs/voice.md.
/// </summary>
internal static class VoiceModule
{
    public static IServiceCollection AddVoice(this IServiceCollection services)
    {
        services.AddHttpClient(SpeechClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            // The workspace's own timeout bounds the call; no redirects (an endpoint is configured as it is).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) });
        services.AddSingleton<SpeechClient>();
        services.AddSingleton<Contracts.IVoiceFanout, Realtime.VoiceFanout>();
        services.AddSingleton<VoiceSettingsStore>();
        services.AddSingleton<VoiceSignal>();
        services.AddSingleton<IOutboxConsumer, VoiceLane>();
        services.AddHostedService<VoiceWorker>();
        return services;
    }

    public static IEndpointRouteBuilder MapVoiceEndpoints(this IEndpointRouteBuilder api)
    {
        VoiceSettingsStore.Map(api);
        return api;
    }
}
