using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Accounts.Sso;

/// <summary>OpenID Connect single sign-on, one provider per workspace (ADR 0007).</summary>
internal static class SsoModule
{
    public static IServiceCollection AddSso(this IServiceCollection services)
    {
        services.AddSingleton<SsoSchemes>();
        services.AddSingleton<SsoDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, SsoSchemeProvider>());
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, SsoHandlerOptions>();
        // What AddOpenIdConnect registers, without a fixed scheme: the state protector, the metadata manager, the handler.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddTransient<OpenIdConnectHandler>();
        services.AddScoped<CompleteSsoSignIn>();
        services.AddScoped<GetSsoSettings>();
        services.AddScoped<UpdateSsoSettings>();
        return services;
    }

    public static void MapSso(IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        StartSsoSignIn.Map(app);
        CompleteSsoSignIn.Map(app);
        GetSsoSettings.Map(api);
        UpdateSsoSettings.Map(api);
    }
}
