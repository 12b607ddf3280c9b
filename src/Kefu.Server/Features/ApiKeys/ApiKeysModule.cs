using System.Security.Claims;
using System.Threading.RateLimiting;
using Kefu.Server.Features.ApiKeys.Contracts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// API keys: a workspace's credentials for integrations, with scopes, shown once, stored hashed, revocable, rate
/// limited per key (ADR 0018). The REST routes are <c>/api/v1/api-keys</c>; the console page is
/// <c>/console/settings/api-keys</c>.
/// </summary>
internal static class ApiKeysModule
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddScoped<CreateApiKey>().AddScoped<ListApiKeys>().AddScoped<RevokeApiKey>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyFormat.Scheme, null);
        services.AddSingleton<IAuthorizationHandler, ApiKeyScopeCheck>();

        // One token bucket per key, ahead of every endpoint's own limits; requests without a key are not counted here.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiKeyOptions>>((o, keys) =>
        {
            var perMinute = keys.Value.RequestsPerMinute;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.FindFirstValue(ApiKeyFormat.KeyIdClaim) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perMinute,
                        TokensPerPeriod = 1,
                        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
        });
        return services;
    }

    public static IEndpointRouteBuilder MapApiKeysEndpoints(this IEndpointRouteBuilder api)
    {
        CreateApiKey.Map(api);
        ListApiKeys.Map(api);
        RevokeApiKey.Map(api);
        return api;
    }
}
