using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>
/// <c>DELETE /api/v1/account/sessions/{id}</c>: the caller ends one of their own sessions (its next request is
/// refused, its hub connections close within seconds). Anyone else's session, or one already ended, is 404.
/// </summary>
internal sealed class EndSession(SessionEnder ender)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/account/sessions/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, EndSession handler) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.UserId, id, http.RequestAborted) is { } error
                    ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .WithName("EndSession")
            .WithTags("Auth");

    public async Task<KefuError?> HandleAsync(Guid userId, Guid sessionId, CancellationToken ct = default) =>
        await ender.EndAsync(userId, sessionId, userId, "ended_by_user", ct) ? null : SignInErrors.SessionNotFound;
}
