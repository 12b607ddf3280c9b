using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/pending</c>: waiting on the customer. It leaves the open lists (it still counts
/// toward the agent's load, as routing counts pending) and is open again when the customer writes.
/// </summary>
internal sealed class MarkPending(SnoozeStates states)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/pending", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, MarkPending handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .WithName("MarkConversationPending")
            .WithTags("Collaboration");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        states.PutAsideAsync(agent, conversationId, ConversationStatus.Pending, null, cancellationToken);
}
