using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Kefu.Server.Hosting.Mail;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

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
        services.AddSingleton<DatabaseOutage>();
        services.AddSingleton<IExceptionHandler>(sp => sp.GetRequiredService<DatabaseOutage>());
        services.Configure<HubOptions>(o => o.AddFilter<DatabaseOutage>());
        services.AddValidation();
        services.AddMemoryCache();
        services.AddLocalization();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddWebSurface();
        services.AddMail();
        services.AddSingleton<UploadsFolder>();
        services.AddIdempotency();

        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddDataProtection()
            .SetApplicationName("Kefu")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(database.EnsureDataDirectory(), "keys")))
            .ProtectKeysAtRest(configuration);
        return services;
    }

    /// <summary>Proxies, cookies and abuse limits: what a browser or a client on the network can reach.</summary>
    private static void AddWebSurface(this IServiceCollection services)
    {
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MessageRateLimit>();
        services.AddSingleton<SignInRateLimit>();

        // Only the listed proxies may say who the client is and whether it came over HTTPS; the
        // framework's default trusts loopback, which would let anything on the host claim any address.
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HostingOptions>>((o, hosting) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = null; // walk back through every trusted hop; the first untrusted one stops it
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in hosting.Value.TrustedProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    o.KnownProxies.Add(address);
                }
                else if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    o.KnownIPNetworks.Add(network);
                }
            }
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<HostingOptions>>((o, hosting) => o.Cookie.SecurePolicy = hosting.Value.AuthCookieSecure);
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<HostingOptions>>((o, hosting) => o.Cookie.SecurePolicy = hosting.Value.AuthCookieSecure);

        // Every 429 says when to come back, in the header and as problem details.
        services.AddRateLimiter(o => o.OnRejected = (context, _) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            RetryAfter.Set(context.HttpContext.Response, wait);
            var error = new KefuError(KefuError.RateLimitedCode, "Too many requests; wait before sending more.", RetryAfter.Seconds(wait));
            return new ValueTask(KefuProblems.Problem(error).ExecuteAsync(context.HttpContext));
        });
    }

    /// <summary>
    /// Reads the client's address, scheme and host from <c>X-Forwarded-*</c>, only when sent by a proxy in
    /// <c>Kefu:Hosting:TrustedProxies</c>. Without any, the middleware is left out: with empty lists it
    /// would believe every peer.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value.TrustedProxies.Length == 0 ? app : app.UseForwardedHeaders();

    /// <summary>
    /// The console's Content-Security-Policy. Scripts only from Kefu's own files (<c>console.js</c>,
    /// <c>blazor.web.js</c>): no inline script, no eval, so an injected <c>&lt;script&gt;</c> or <c>onerror=</c> does not
    /// run. Styles allow inline because Blazor's reconnection UI injects its own <c>&lt;style&gt;</c>; CSS cannot run
    /// script. No <c>form-action</c>: browsers apply it to the redirects after a submission, and the sign-in page's
    /// single sign-on form redirects to the workspace's identity provider, which no fixed list can name. Images may
    /// come from any HTTPS site for one reason: a received e-mail's remote images, which the sandboxed mail frame
    /// blocks with its own policy until the agent asks for them (a frame's document inherits this policy, so a
    /// narrower one here would make the agent's click do nothing); customer text elsewhere is rendered as text.
    /// </summary>
    public const string ConsoleContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var hsts = app.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value.HstsMaxAge;
        var hstsValue = hsts > TimeSpan.Zero ? $"max-age={(long)hsts.TotalSeconds}" : null;
        return app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (http.Request.Path.StartsWithSegments("/console"))
                {
                    headers.XFrameOptions = "DENY";
                    headers.ContentSecurityPolicy = ConsoleContentSecurityPolicy;
                }

                // IsHttps is true behind a trusted TLS proxy too (UseTrustedProxies runs first); a client on plain
                // HTTP cannot claim it. No includeSubDomains: sibling sites of the Kefu host are not ours to pin.
                if (http.Request.IsHttps && hstsValue is not null)
                {
                    headers.StrictTransportSecurity = hstsValue;
                }

                // Agent data and tokens must not stay in a browser or proxy cache (a shared computer, the back button).
                if ((http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/console")) &&
                    string.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(http);
        });
    }

    /// <summary>Stops the start with a message that names the wrong <c>Kefu:Hosting</c> value.</summary>
    private sealed class HostingOptionsValidator : IValidateOptions<HostingOptions>
    {
        public ValidateOptionsResult Validate(string? name, HostingOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
