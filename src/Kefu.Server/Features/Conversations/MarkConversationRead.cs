using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>An agent has read a conversation: its unread count goes to zero for everyone.</summary>
internal sealed class MarkConversationRead(ChangeConversation change)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/read", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, MarkConversationRead handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("MarkConversationRead")
            .WithTags("Conversations");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid id, CancellationToken cancellationToken) =>
        change.ApplyAsync(agent, id, (q, _, ct) => q.Where(c => c.UnreadCount != 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UnreadCount, 0), ct), null, cancellationToken);
}
