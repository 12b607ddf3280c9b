using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>Console users (ASP.NET Core Identity), sign-in by cookie (console) or bearer token (apps, bots, load tests).</summary>
internal static class AccountsModule
{
    /// <summary>Policy scheme: bearer when the request carries one, otherwise the Identity cookie.</summary>
    public const string AgentScheme = "Agent";

    /// <summary>Authorization policy for workspace configuration: a signed-in agent whose role is Admin (others get 403).</summary>
    public const string AdminPolicy = "Admin";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection(SeedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AgentScheme;
                o.DefaultChallengeScheme = AgentScheme;
            })
            .AddPolicyScheme(AgentScheme, "Agent cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(8);
                o.Events = new BearerTokenEvents
                {
                    OnMessageReceived = ctx =>
                    {
                        // WebSockets cannot carry headers: SignalR sends the token in the query string.
                        if (ctx.Request.Path.StartsWithSegments("/hubs/agent") && ctx.Request.Query["access_token"] is { Count: > 0 } token)
                        {
                            ctx.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/console/login";
                o.LogoutPath = "/console/logout";
                o.AccessDeniedPath = "/console/login";
                o.Cookie.Name = "kefu.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnRedirectToLogin = ctx => RedirectOrStatus(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => RedirectOrStatus(ctx.HttpContext, ctx.RedirectUri, StatusCodes.Status403Forbidden);
            }));

        services.AddIdentityCore<AgentUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<KefuDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AgentClaimsFactory>();

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(AgentScheme)
                .RequireAuthenticatedUser().RequireClaim(AgentIdentity.TenantClaim).Build())
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(AgentScheme).RequireAuthenticatedUser()
                .RequireAssertion(ctx => AgentIdentity.From(ctx.User)?.Role == AgentRole.Admin));
        services.AddScoped<AgentSignIn>();
        services.AddScoped<CreateAgentToken>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountsEndpoints(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        CreateAgentToken.Map(api);
        app.MapPost("/console/logout", async (SignInManager<AgentUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/console/login");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Which handler authenticates a request. Visitor hub connections go straight to the visitor
    /// scheme: one handler and one principal kept for the connection's life, instead of a cookie
    /// handler that can never succeed there.
    /// </summary>
    private static string SelectScheme(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/hubs/visitor"))
        {
            return Channels.WebWidget.VisitorAuthentication.SchemeName;
        }

        return http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
               http.Request.Path.StartsWithSegments("/hubs/agent") && http.Request.Query.ContainsKey("access_token")
            ? IdentityConstants.BearerScheme
            : IdentityConstants.ApplicationScheme;
    }

    /// <summary>APIs and hubs answer 401/403; only console pages redirect to the sign-in page.</summary>
    private static Task RedirectOrStatus(HttpContext http, string redirectUri, int status)
    {
        if (http.Request.Path.StartsWithSegments("/console"))
        {
            http.Response.Redirect(redirectUri);
        }
        else
        {
            http.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
