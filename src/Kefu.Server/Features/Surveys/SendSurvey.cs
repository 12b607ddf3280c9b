using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Surveys;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/surveys</c>: an agent sends the inbox's survey now (any trigger; the quiet days
/// still apply: 409 <c>survey_recently_sent</c>). Needs the right to act in the conversation.
/// </summary>
internal sealed class SendSurvey(SurveySender sender, IConversationAccess access, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/surveys", async Task<Results<Ok<SurveyResponseDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, SendSurvey handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .WithName("SendSurvey").CreatesResource()
            .WithTags("Surveys");

    public async Task<(SurveyResponseDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var key = $"manual:{time.GetUtcNow().UtcDateTime.Ticks}";
        var (sent, error) = (await sender.SendAsync(agent.TenantId, [new SurveyOccasion(conversationId, SurveyTriggers.Manual, key, agent.UserId)], cancellationToken))[0];
        return sent is null ? (null, error) : (ListConversationSurveys.ToDto(sent), null);
    }
}
