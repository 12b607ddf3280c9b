using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Invitations;

/// <summary>
/// <c>POST /api/v1/widget/invitations/{id}/accept</c> and <c>…/dismiss</c> (visitor token): the visitor opened or closed
/// an invitation. Only the first answer counts (a second tab's is ignored); another visitor's invitation is 404.
/// </summary>
internal sealed class AnswerInvitation(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        foreach (var (action, accept) in new[] { ("accept", true), ("dismiss", false) })
        {
            api.MapPost($"/widget/invitations/{{id:guid}}/{action}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, AnswerInvitation handler, CancellationToken ct) =>
                    VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(InvitationErrors.Forbidden)
                    : await handler.HandleAsync(visitor, id, accept, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
                .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
                .WithName(accept ? "AcceptVisitorInvitation" : "DismissVisitorInvitation")
                .WithTags("Widget");
        }
    }

    public async Task<KefuError?> HandleAsync(VisitorIdentity visitor, Guid id, bool accept, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var mine = db.Set<InvitationShow>().Where(s => s.Id == id && s.ContactId == visitor.ContactId && s.TenantId == visitor.TenantId);
        // Conditional: two answers racing (two tabs) store one.
        var changed = accept
            ? await mine.Where(s => s.AcceptedAt == null && s.DismissedAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.AcceptedAt, now), cancellationToken)
            : await mine.Where(s => s.AcceptedAt == null && s.DismissedAt == null).ExecuteUpdateAsync(u => u.SetProperty(s => s.DismissedAt, now), cancellationToken);
        return changed > 0 || await mine.AnyAsync(cancellationToken) ? null : InvitationErrors.InvitationNotFound;
    }
}
