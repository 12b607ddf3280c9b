using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts;

/// <summary>The console language a user chose.</summary>
/// <param name="Language"><c>en</c> or <c>zh-CN</c>.</param>
public sealed record LanguageRequest(string? Language);

/// <summary>
/// The user's console language, remembered on their account (so it follows them to another browser) and carried in
/// ASP.NET Core's culture cookie (so request localization needs no database read). <c>PUT /api/v1/account/language</c>
/// for apps; <c>POST /console/language</c> for the console's language switch, which also sets the cookie and goes back.
/// </summary>
internal sealed class SetLanguage(IDbContextFactory<KefuDbContext> dbFactory)
{
    /// <summary>The languages the console is written in.</summary>
    public static readonly string[] Supported = ["en", "zh-CN"];

    public static void Map(IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        api.MapPut("/account/language", async Task<Results<NoContent, ProblemHttpResult>> (LanguageRequest request, HttpContext http, SetLanguage handler) =>
            {
                var error = await handler.HandleAsync(AgentIdentity.From(http.User)!, request.Language, http.RequestAborted);
                if (error is not null)
                {
                    return KefuProblems.Problem(error);
                }

                ConsoleLanguage.WriteCookie(http.Response, request.Language!);
                return TypedResults.NoContent();
            })
            .WithName("SetLanguage")
            .WithTags("Account");

        // A plain form post from the console's header: the cookie changes the culture of the next request, and the
        // Blazor circuit keeps the culture it started with, so the page is loaded again. Origin checks refuse it from
        // any other site, like every cookie-authenticated POST.
        app.MapPost("/console/language", async (HttpContext http, SetLanguage handler) =>
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                var language = form["language"].ToString();
                var back = form["returnUrl"].ToString();
                if (AgentIdentity.From(http.User) is { } agent && await handler.HandleAsync(agent, language, http.RequestAborted) is null ||
                    AgentIdentity.From(http.User) is null && Supported.Contains(language, StringComparer.Ordinal))
                {
                    ConsoleLanguage.WriteCookie(http.Response, language);
                }

                return TypedResults.LocalRedirect(back.StartsWith("/console", StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/console");
            })
            .DisableAntiforgery()
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, string? language, CancellationToken cancellationToken)
    {
        if (language is null || !Supported.Contains(language, StringComparer.Ordinal))
        {
            return SignIn.SignInErrors.UnsupportedLanguage;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.Id == caller.UserId && u.TenantId == caller.TenantId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Language, language), cancellationToken);
        return null;
    }
}

/// <summary>The culture cookie that carries the console language.</summary>
internal static class ConsoleLanguage
{
    public static void WriteCookie(HttpResponse response, string language) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });

    /// <summary>At every console sign-in (password, two-factor, single sign-on) the language chosen on the account wins over the browser's.</summary>
    public static async Task ApplyAtSignInAsync(CookieSignedInContext context)
    {
        if (AgentIdentity.From(context.Principal!) is not { } agent)
        {
            return;
        }

        var dbFactory = context.HttpContext.RequestServices.GetRequiredService<IDbContextFactory<KefuDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(context.HttpContext.RequestAborted);
        var language = await db.Users.Where(u => u.Id == agent.UserId).Select(u => u.Language).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (language is not null)
        {
            WriteCookie(context.Response, language);
        }
    }
}
