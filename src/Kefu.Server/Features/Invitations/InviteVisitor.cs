using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Invitations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Invitations;

/// <summary>An agent's own invitation.</summary>
/// <param name="Text">1–500 characters, plain text, shown as the chat's first line when the visitor accepts.</param>
public sealed record InviteVisitorRequest(string? Text);

/// <summary>
/// <c>POST /api/v1/visitors/{contactId}/invitations</c>: an agent invites a visitor they see browsing; the invitation is
/// pushed to the visitor's widget and counted with the agents' invitations. A visitor who is not online in one of the
/// agent's inboxes (or of another workspace) is 404.
/// </summary>
internal sealed class InviteVisitor(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, OnlineVisitors online, IInvitationFanout fanout, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/visitors/{contactId:guid}/invitations", async Task<Results<Ok<InvitationDto>, ProblemHttpResult>> (
                Guid contactId, InviteVisitorRequest request, HttpContext http, InviteVisitor handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, contactId, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .CreatesResource()
            .RequireAuthorization(AccessPolicies.For(Permission.ConversationsAssigned))
            .WithName("InviteVisitor")
            .WithTags("Invitations");

    public async Task<(InvitationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid contactId, InviteVisitorRequest? request, CancellationToken cancellationToken)
    {
        if (await access.ForAsync(agent, cancellationToken) is not { } me)
        {
            return (null, InvitationErrors.Forbidden);
        }

        if (request?.Text?.Trim() is not { Length: > 0 and <= InvitationLimits.MaxText } text || text.Any(c => char.IsControl(c) && c != '\n'))
        {
            return (null, InvitationErrors.InvalidText);
        }

        if (online.Find(agent.TenantId, contactId) is not { } presence || !me.MayUseInbox(presence.InboxId))
        {
            return (null, InvitationErrors.VisitorNotFound);
        }

        var show = new InvitationShow
        {
            Id = Guid.CreateVersion7(), TenantId = agent.TenantId, InboxId = presence.InboxId, ContactId = contactId, AgentId = agent.UserId,
            ShownAt = time.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Add(show);
            await db.SaveChangesAsync(cancellationToken);
        }

        // After the commit: the widget's accept and dismiss name a stored invitation.
        var dto = new InvitationDto(show.Id, text, text, OpenWidget: false, FromAgent: true);
        await fanout.InviteAsync(contactId, dto);
        return (dto, null);
    }
}
