using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>An agent marks a conversation done. Resolving a resolved conversation changes nothing.</summary>
internal sealed class ResolveConversation(ChangeConversation change)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/resolve", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, ResolveConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("ResolveConversation")
            .WithTags("Conversations");

    public Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid id, CancellationToken cancellationToken) =>
        change.ApplyAsync(agent, id, (q, now, ct) => q.Where(c => c.Status != ConversationStatus.Resolved)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Resolved).SetProperty(c => c.ResolvedAt, now), ct),
            now => new ConversationResolved { TenantId = agent.TenantId, ConversationId = id, Actor = Actor.Agent(agent.UserId), OccurredAt = now }, cancellationToken);
}
