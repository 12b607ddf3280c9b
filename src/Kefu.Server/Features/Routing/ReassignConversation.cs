using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/assign</c>: a supervisor moves a conversation (assigned or waiting) to an
/// agent or a team. Same rules as a transfer; only supervisors and admins (others get 403 <c>forbidden</c>).
/// </summary>
internal sealed class ReassignConversation(TransferConversation transfer)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/assign", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, TransferRequest request, HttpContext http, ReassignConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Supervise))
            .WithName("ReassignConversation")
            .WithTags("Routing");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity supervisor, Guid conversationId, TransferRequest request, CancellationToken cancellationToken) =>
        transfer.HandleAsync(supervisor, conversationId, request, "reassign", cancellationToken);
}
