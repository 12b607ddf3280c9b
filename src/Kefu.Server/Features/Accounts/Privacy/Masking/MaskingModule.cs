using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>Personal data masking at ingest: detection, workspace settings, encrypted originals and audited unmasking.</summary>
internal static class MaskingModule
{
    public static IServiceCollection AddMasking(this IServiceCollection services)
    {
        services.AddSingleton<MaskingSettingsStore>();
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<IPersonalDataMasking, PersonalDataMasking>();
        services.AddSingleton<IPersonalDataHolder, MaskedOriginalsPersonalData>();
        services.AddScoped<GetMaskingSettings>();
        services.AddScoped<UpdateMaskingSettings>();
        services.AddScoped<UnmaskMessage>();
        services.AddScoped<UnmaskContact>();
        return services;
    }

    public static IEndpointRouteBuilder MapMaskingEndpoints(this IEndpointRouteBuilder api)
    {
        GetMaskingSettings.Map(api);
        UpdateMaskingSettings.Map(api);
        UnmaskMessage.Map(api);
        UnmaskContact.Map(api);
        return api;
    }
}
