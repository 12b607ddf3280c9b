using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Collaboration;

/// <summary><c>POST /api/v1/conversations/{id}/open</c>: ends a snooze or a pending wait by hand (a resolved conversation is reopened with <c>/reopen</c>).</summary>
internal sealed class OpenConversation(SnoozeStates states)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/open", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, OpenConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .WithName("OpenConversation")
            .WithTags("Collaboration");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        states.OpenByAgentAsync(agent, conversationId, cancellationToken);
}
