using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/offer/accept</c> and <c>/offer/decline</c>: the offered agent answers.
/// Accepting is a claim that also requires the offer to be theirs and unexpired; declining puts the
/// conversation back in line for the next agent.
/// </summary>
internal sealed class AnswerOffer(AssignConversation assign, OfferExpiry offers, RoutingSignal signal)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/conversations/{id:guid}/offer/accept", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, AnswerOffer handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.AcceptAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto) : KefuProblems.Problem(error);
            })
            .WithName("AcceptOffer")
            .WithTags("Routing");
        api.MapPost("/conversations/{id:guid}/offer/decline", async Task<Results<NoContent, ProblemHttpResult>> (
                Guid id, HttpContext http, AnswerOffer handler, CancellationToken ct) =>
            {
                var error = await handler.DeclineAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.NoContent() : KefuProblems.Problem(error);
            })
            .WithName("DeclineOffer")
            .WithTags("Routing");
    }

    public Task<(ConversationDto?, KefuError?)> AcceptAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken) =>
        assign.ClaimAsync(agent.TenantId, conversationId, agent.UserId, new ClaimRequest("offer_accepted", agent.UserId),
            async (db, now, ct) => await db.QueueEntries.AnyAsync(q => q.ConversationId == conversationId && q.State == QueueState.Offered &&
                                                                     q.OfferedTo == agent.UserId && q.OfferExpiresAt > now, ct)
                ? null
                : RoutingErrors.OfferNotFound,
            cancellationToken);

    public async Task<KefuError?> DeclineAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        if (!await offers.ReleaseAsync(agent.TenantId, conversationId, agent.UserId, expired: false, cancellationToken))
        {
            return RoutingErrors.OfferNotFound;
        }

        signal.Notify();
        return null;
    }
}
