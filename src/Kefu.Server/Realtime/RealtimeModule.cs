using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using StackExchange.Redis;

namespace Kefu.Server.Realtime;

/// <summary>
/// Everything that pushes: the two hubs, their groups, the fan-out of committed changes to hubs and console
/// circuits, and — with Redis (<c>Kefu:Redis:Connection</c>) — the backplane and the cluster bus that make console
/// events, presence and wake-ups reach every node. Features call <see cref="IMessageFanout"/> and
/// <see cref="RoutingFanout"/>; nothing else pushes.
/// </summary>
internal static class RealtimeModule
{
    public const string RedisConnectionKey = "Kefu:Redis:Connection";

    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        var signalR = services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = 32 * 1024;
                o.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        services.AddSingleton<ConsoleNotifier>();
        services.AddSingleton<RealtimeFanout>();
        services.AddSingleton<IMessageFanout>(sp => sp.GetRequiredService<RealtimeFanout>());
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeFanout>());
        services.AddSingleton<RoutingFanout>();

        if (configuration[RedisConnectionKey] is { Length: > 0 } redis)
        {
            // Scale-out: every node publishes hub messages through Redis so any node reaches any client.
            var prefix = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>()?.RedisPrefix ?? new ClusterOptions().RedisPrefix;
            signalR.AddStackExchangeRedis(redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
                RideOutOutages(o.Configuration);
            });
            services.AddSingleton<IConnectionMultiplexer>(_ =>
            {
                var options = ConfigurationOptions.Parse(redis);
                RideOutOutages(options);
                return ConnectionMultiplexer.Connect(options);
            });
            services.AddSingleton<ISharedState, RedisSharedState>();
            services.AddHostedService<ClusterBus>();
        }
        else
        {
            services.AddSingleton<ISharedState, LocalSharedState>();
        }

        return services;
    }

    /// <summary>
    /// How both Redis connections behave while Redis is away (docs/benchmarks.md, <c>redis-outage</c>). Each call fails
    /// at once instead of waiting up to 5 s in a backlog: the fan-out pushes one event at a time, so a held call held
    /// every push behind it and the queue grew for as long as the outage lasted, to be delivered stale afterwards;
    /// clients resync by Seq instead. The connection is retried every second rather than backing off to 10 s, so
    /// fan-out resumes about a second after Redis returns; and a node starts even while Redis is down.
    /// </summary>
    private static void RideOutOutages(ConfigurationOptions options)
    {
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.AbortOnConnectFail = false;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        // No parameter validation on the hubs' HTTP endpoints: they bind no parameters (hub invocations do not pass
        // through endpoint filters), but the filter's state would stay alive for every open connection
        // (docs/benchmarks.md, "Idle connections (issue 11)").
        app.MapHub<VisitorHub>("/hubs/visitor", ConfigureHubTransport).DisableValidation();
        app.MapHub<AgentHub>("/hubs/agent", ConfigureHubTransport).DisableValidation();
        return app;
    }

    /// <summary>Hub transport buffers: messages are small, so small buffers keep idle connections cheap.</summary>
    private static void ConfigureHubTransport(HttpConnectionDispatcherOptions o)
    {
        o.ApplicationMaxBufferSize = 32 * 1024;
        o.TransportMaxBufferSize = 32 * 1024;
        o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
    }
}
