using Kefu.Server.Features.Accounts.Access;
using Kefu.Server.Features.Accounts.Audit;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.People;
using Kefu.Server.Features.Accounts.Privacy.Masking;
using Kefu.Server.Features.Accounts.SignIn;
using Kefu.Server.Features.Accounts.Sso;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;

namespace Kefu.Server.Features.Accounts;

/// <summary>Console users (ASP.NET Core Identity), sign-in by cookie (console) or bearer token (apps, bots, load tests).</summary>
internal static class AccountsModule
{
    /// <summary>Policy scheme: bearer when the request carries one, otherwise the Identity cookie.</summary>
    public const string AgentScheme = "Agent";

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
                // Short-lived: POST /api/v1/auth/refresh renews it while the user's sessions stand.
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                o.Events = new BearerTokenEvents { OnMessageReceived = RejectEndedSessionAsync };
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
                o.Events.OnValidatePrincipal = RejectEndedCookieAsync;
                o.Events.OnSignedIn = ConsoleLanguage.ApplyAtSignInAsync;
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
            .AddClaimsPrincipalFactory<AgentClaimsFactory>()
            .AddSignInTokenProviders();
        services.AddAgentSignIn();

        services.AddSingleton<AgentConnections>();
        // A global filter (visitor connections carry no agent and are skipped): per-hub options would be
        // overwritten by a later AddHubOptions copying the global ones.
        services.Configure<HubOptions>(o => o.AddFilter<AgentConnections>());

        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder(AgentScheme)
                .RequireAuthenticatedUser().RequireClaim(AgentIdentity.TenantClaim).Build());
        services.AddHttpContextAccessor();
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAccessControl, AccessControl>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<ListRoles>();
        services.AddSingleton<CreateRole>();
        services.AddSingleton<UpdateRole>();
        services.AddSingleton<DeleteRole>();
        services.AddSingleton<SetAgentAccess>();
        services.AddPeople();
        services.AddAuditTrail(configuration);
        services.AddScoped<AgentSignIn>();
        services.AddScoped<CreateAgentToken>();
        services.AddScoped<RefreshAgentToken>();
        services.AddScoped<EndSessions>();
        services.AddScoped<SignOutEverywhere>();
        services.AddScoped<SetLanguage>();
        services.AddSingleton<GetAlertChoices>().AddSingleton<SetAlertChoices>();
        services.AddScoped<ChangePassword>();
        services.AddScoped<DeactivateAgent>();
        services.AddSso();
        services.AddMasking();
        return services;
    }

    public static IEndpointRouteBuilder MapAccountsEndpoints(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        CreateAgentToken.Map(api);
        RefreshAgentToken.Map(api);
        ChangePassword.Map(api);
        DeactivateAgent.Map(api);
        ListRoles.Map(api);
        CreateRole.Map(api);
        UpdateRole.Map(api);
        DeleteRole.Map(api);
        SetAgentAccess.Map(api);
        PeopleModule.MapPeople(api);
        SignOutEverywhere.Map(app, api);
        SetLanguage.Map(app, api);
        GetAlertChoices.Map(api);
        SetAlertChoices.Map(api);
        api.MapAuditTrail();
        SsoModule.MapSso(app, api);
        api.MapMaskingEndpoints();
        SignInModule.Map(api);
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

        // API keys only ever come in this header (never a cookie or the query string): a browser cannot be made to send one.
        if (ApiKeys.Contracts.ApiKeyFormat.IsApiKeyHeader(http.Request.Headers.Authorization.ToString()))
        {
            return ApiKeys.Contracts.ApiKeyFormat.Scheme;
        }

        return http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ||
               http.Request.Path.StartsWithSegments("/hubs/agent") && http.Request.Query.ContainsKey("access_token")
            ? IdentityConstants.BearerScheme
            : IdentityConstants.ApplicationScheme;
    }

    /// <summary>
    /// The cookie's session and security stamp are checked on every request (<see cref="SessionValidator"/>, one
    /// query), so ending a session (sign-out, the session list, an admin) or all of a user's (password change,
    /// deactivation) stops a copied cookie at once, not after Identity's validator interval (30 minutes).
    /// Identity's own validator with a zero interval would also re-issue the cookie on every response.
    /// </summary>
    private static async Task RejectEndedCookieAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext ctx)
    {
        var check = await ctx.HttpContext.RequestServices.GetRequiredService<SessionValidator>().CheckAsync(ctx.Principal, ctx.HttpContext.RequestAborted);
        if (!check.Valid)
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.RequestServices.GetRequiredService<SignInManager<AgentUser>>().SignOutAsync();
            return;
        }

        ctx.HttpContext.Items[SessionValidator.EnrolmentRequiredItem] = check.EnrolmentRequired;
    }

    /// <summary>
    /// Bearer tokens carry their session and the user's security stamp. A token whose session has ended, or whose
    /// stamp is no longer the user's (signed out everywhere, password changed, deactivated), is refused.
    /// </summary>
    private static async Task RejectEndedSessionAsync(MessageReceivedContext ctx)
    {
        // WebSockets cannot carry headers: SignalR sends the token in the query string.
        if (ctx.Request.Path.StartsWithSegments("/hubs/agent") && ctx.Request.Query["access_token"] is { Count: > 0 } query)
        {
            ctx.Token = query;
        }
        else if (ctx.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            ctx.Token = header["Bearer ".Length..].Trim();
        }

        if (ctx.Token is not { Length: > 0 } token || ctx.Options.BearerTokenProtector.Unprotect(token)?.Principal is not { } principal)
        {
            return; // the handler refuses what it cannot read
        }

        var check = await ctx.HttpContext.RequestServices.GetRequiredService<SessionValidator>().CheckAsync(principal, ctx.HttpContext.RequestAborted);
        if (!check.Valid)
        {
            ctx.Fail("The session has ended.");
            return;
        }

        ctx.HttpContext.Items[SessionValidator.EnrolmentRequiredItem] = check.EnrolmentRequired;
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
