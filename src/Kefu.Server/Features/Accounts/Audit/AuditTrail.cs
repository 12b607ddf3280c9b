namespace Kefu.Server.Features.Accounts.Audit;

/// <summary>The audit log's part of the Accounts module: its options, reader, export and retention job.</summary>
internal static class AuditTrail
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ListAuditEntries>();
        services.AddSingleton<ExportAuditEntries>();
        services.AddHostedService<AuditRetention>();
        return services;
    }

    public static void MapAuditTrail(this IEndpointRouteBuilder api)
    {
        ListAuditEntries.Map(api);
        ExportAuditEntries.Map(api);
    }
}
