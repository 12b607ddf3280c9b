using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>One open session of the signed-in user.</summary>
/// <param name="Id">The session id, for <c>DELETE /api/v1/account/sessions/{id}</c>.</param>
/// <param name="Kind">Console cookie, bearer token or single sign-on.</param>
/// <param name="CreatedAt">When it signed in (UTC).</param>
/// <param name="LastSeenAt">Its last request, to the minute (UTC).</param>
/// <param name="ClientIp">The address it signed in from.</param>
/// <param name="UserAgent">A short summary of the browser or app, such as "Chrome on Windows".</param>
/// <param name="Current">True for the session making this request.</param>
public sealed record SessionDto(Guid Id, SessionKind Kind, DateTime CreatedAt, DateTime LastSeenAt, string? ClientIp, string? UserAgent, bool Current);

/// <summary><c>GET /api/v1/account/sessions</c>: the caller's open sessions, newest first, the current one marked.</summary>
internal sealed class ListSessions(IDbContextFactory<KefuDbContext> dbs, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/account/sessions", async Task<Ok<SessionDto[]>> (HttpContext http, ListSessions handler) =>
                TypedResults.Ok(await handler.HandleAsync(Contracts.AgentIdentity.From(http.User)!.UserId, SessionClaims.Session(http.User), http.RequestAborted)))
            .WithName("ListSessions")
            .WithTags("Auth");

    public async Task<SessionDto[]> HandleAsync(Guid userId, Guid? current, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.AgentSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt)
            .Take(200)
            .ToListAsync(ct);
        return [.. rows.Select(s => new SessionDto(s.Id, s.Kind, s.CreatedAt, s.LastSeenAt, s.ClientIp, s.UserAgent, s.Id == current))];
    }
}
