using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kefu.Server.Hosting.Telemetry;

/// <summary>
/// Metrics (Kefu's own meter, ASP.NET Core, SignalR connections, EF Core, the runtime) for Prometheus at
/// <c>/metrics</c>, and traces to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (ADR 0016).
/// </summary>
internal static class TelemetryModule
{
    /// <summary>The OpenTelemetry SDK's standard setting: where OTLP traces go; unset, no trace is recorded at all.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddKefuTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddSingleton<KefuMetrics>();
        services.AddSingleton<MetricsAccess>();

        var metrics = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        var tracing = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        if (!metrics.Enabled && !tracing)
        {
            return services; // nothing listens: every instrument stays disabled and costs a branch
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("kefu"));
        if (metrics.Enabled)
        {
            telemetry.WithMetrics(m => m
                .AddMeter(KefuMetrics.MeterName)
                // Request rates and durations, Kestrel connections, SignalR connections (Http.Connections), rate limits.
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Http.Connections")
                // EF Core's own counters (queries, saves, optimistic-concurrency failures): kept in EF anyway, read at scrape.
                .AddMeter("Microsoft.EntityFrameworkCore")
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        }

        if (tracing)
        {
            // HTTP requests only: SignalR hub invocations (every message) are not traced, so the message path pays
            // nothing even with a collector configured. The exporter reads the other OTEL_* settings itself.
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/healthz"))
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Maps <c>/metrics</c> behind <see cref="MetricsAccess"/>, when metrics are on.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            var access = app.ServiceProvider.GetRequiredService<MetricsAccess>();
            app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null,
                configureBranchedPipeline: branch => branch.Use(access.InvokeAsync), optionsName: null)
                .WithDisplayName("Prometheus metrics");
        }

        return app;
    }

    /// <summary>Stops the start with a message that names the wrong <c>Kefu:Metrics</c> value.</summary>
    private sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
    {
        public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
