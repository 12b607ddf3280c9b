using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary><c>GET /api/v1/conversations/{id}/notes</c>: a conversation's private notes, oldest first, for those who can see it.</summary>
internal sealed class ListNotes(IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, NoteReader notes)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/notes", async Task<Results<Ok<IReadOnlyList<NoteDto>>, ProblemHttpResult>> (
                Guid id, HttpContext http, ListNotes handler, CancellationToken ct) =>
            {
                var (list, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(list!) : KefuProblems.Problem(error);
            })
            .WithName("ListNotes")
            .WithTags("Collaboration");

    public async Task<(IReadOnlyList<NoteDto>?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await notes.ListAsync(db, agent.TenantId, conversationId, cancellationToken), null);
    }

    /// <summary>Who can be mentioned, for the console's autocomplete: the caller's own workspace only.</summary>
    public async Task<IReadOnlyList<MentionTarget>> MentionTargetsAsync(AgentIdentity agent, MentionResolver resolver, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await resolver.TargetsAsync(db, agent.TenantId, cancellationToken);
    }
}
