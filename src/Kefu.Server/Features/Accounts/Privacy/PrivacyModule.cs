using Kefu.Server.Features.Accounts.Privacy.Requests;
using Kefu.Server.Features.Accounts.Privacy.Retention;

namespace Kefu.Server.Features.Accounts.Privacy;

/// <summary>Retention of conversations per inbox, and data subject requests (export, erasure) on contacts.</summary>
internal static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ConversationEraser>();
        services.AddScoped<ApplyRetention>();
        services.AddHostedService<RetentionWorker>();
        services.AddScoped<GetInboxRetention>();
        services.AddScoped<SetInboxRetention>();
        services.AddScoped<EraseContact>();
        services.AddScoped<ExportContactData>();
        return services;
    }

    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder api)
    {
        GetInboxRetention.Map(api);
        SetInboxRetention.Map(api);
        ExportContactData.Map(api);
        EraseContact.Map(api);
        return api;
    }
}
