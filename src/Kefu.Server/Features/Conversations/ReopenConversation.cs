using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>An agent reopens a resolved conversation (a visitor reopens one by writing).</summary>
internal sealed class ReopenConversation(ChangeConversation change)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/reopen", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, ReopenConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("ReopenConversation")
            .WithTags("Conversations");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid id, CancellationToken cancellationToken) =>
        change.ApplyAsync(agent, id, (q, _, ct) => q.Where(c => c.Status == ConversationStatus.Resolved)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Open).SetProperty(c => c.ResolvedAt, (DateTime?)null), ct),
            now => new ConversationReopened { TenantId = agent.TenantId, ConversationId = id, Actor = Actor.Agent(agent.UserId), OccurredAt = now }, cancellationToken);
}
