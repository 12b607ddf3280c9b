using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/snooze</c> <c>{until}</c> or <c>{untilReply: true}</c>: the conversation leaves the
/// open lists until then; the customer writing ends any snooze earlier. Snoozing again replaces the time.
/// </summary>
internal sealed class SnoozeConversation(SnoozeStates states, IConversationAccess access, TimeProvider time)
{
    /// <summary>The furthest a snooze may reach.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/snooze", async Task<Results<Ok<ConversationDto>, ProblemHttpResult>> (
                Guid id, SnoozeRequest request, HttpContext http, SnoozeConversation handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .WithName("SnoozeConversation")
            .WithTags("Collaboration");

    public async Task<(ConversationDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, SnoozeRequest request, CancellationToken cancellationToken)
    {
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var untilReply = request.UntilReply == true;
        var until = request.Until?.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(request.Until.Value, DateTimeKind.Utc) : request.Until?.ToUniversalTime();
        if (untilReply == until.HasValue || (until is { } at && (at <= now || at > now + MaxAhead)))
        {
            return (null, CollaborationErrors.InvalidSnooze);
        }

        return await states.PutAsideAsync(agent, conversationId, ConversationStatus.Snoozed, until, cancellationToken);
    }
}
