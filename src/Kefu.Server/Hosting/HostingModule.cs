using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace Kefu.Server.Hosting;

/// <summary>Cross-cutting host concerns: errors, JSON, data protection, languages, headers.</summary>
internal static class HostingModule
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("zh-CN"), new("zh-Hans"), new("zh")];

    public static IServiceCollection AddKefuHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<DatabaseStartup>();
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.AddValidation();
        services.AddMemoryCache();
        services.AddLocalization();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddDataProtection()
            .SetApplicationName("Kefu")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(database.EnsureDataDirectory(), "keys")));
        return services;
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (http.Request.Path.StartsWithSegments("/console"))
            {
                headers.XFrameOptions = "DENY";
            }

            return Task.CompletedTask;
        });
        await next(http);
    });
}
