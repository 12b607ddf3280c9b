using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// <c>POST /api/v1/auth/logout</c> and the console's sign-out: ends every session of the caller, everywhere.
/// Deleting the cookie alone would leave a copied cookie (or a leaked token) working until it expires.
/// </summary>
internal sealed class SignOutEverywhere(SignInManager<AgentUser> signIn, EndSessions sessions, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/logout", async Task<NoContent> (HttpContext http, SignOutEverywhere handler) =>
            {
                await handler.HandleAsync(http);
                return TypedResults.NoContent();
            })
            .WithName("SignOut")
            .WithTags("Auth");
        app.MapPost("/console/logout", async (HttpContext http, SignOutEverywhere handler) =>
        {
            await handler.HandleAsync(http);
            return TypedResults.LocalRedirect("/console/login");
        }).ExcludeFromDescription();
    }

    public async Task HandleAsync(HttpContext http)
    {
        if (await signIn.UserManager.GetUserAsync(http.User) is { } user)
        {
            await sessions.EndAllAsync(user, "sign-out");
            await audit.WriteAsync(new AuditRecord(AuditActions.SignedOut, "agent", user.Id.ToString(), "sessions=all"));
        }

        await signIn.SignOutAsync();
    }
}
