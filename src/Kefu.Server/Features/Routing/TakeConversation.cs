using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/take</c>: an agent takes a waiting conversation from the queue. A
/// conditional claim within the agent's capacity: of many agents taking one conversation, exactly one wins
/// and the others get 409 <c>already_assigned</c>.
/// </summary>
internal sealed class TakeConversation(AssignConversation assign, IConversationAccess access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/take", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, TakeConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("TakeConversation")
            .WithTags("Routing");

    public async Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        // Only a conversation the agent can see (their inboxes and scope) can be taken; others do not exist for them.
        await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } hidden
            ? (null, hidden)
            : await assign.ClaimAsync(agent.TenantId, conversationId, agent.UserId, new ClaimRequest("manual", agent.UserId), null, cancellationToken);
}
