using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Accounts.SignIn;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Features.Accounts;

/// <summary>
/// <c>POST /api/v1/auth/logout</c> and the console's sign-out: ends the caller's current session (its cookie or its
/// access and refresh tokens, and the hub connections opened with it), on every node. Deleting the cookie alone would
/// leave a copied cookie (or a leaked token) working until it expires. Other sessions stay; the session list
/// (<c>/api/v1/account/sessions</c>) ends them one by one. (The name is older than session rows, when signing out
/// could only end every session at once.)
/// </summary>
internal sealed class SignOutEverywhere(SignInManager<AgentUser> signIn, SessionEnder sessions)
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
        if (AgentIdentity.From(http.User) is { } agent && SessionClaims.Session(http.User) is { } session)
        {
            // Audited as a sign-out of the agent (auth.signed_out), naming the session in the detail.
            await sessions.EndAsync(agent.UserId, session, agent.UserId, "sign_out", http.RequestAborted, signOut: true);
        }

        await signIn.SignOutAsync();
    }
}
