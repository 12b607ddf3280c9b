using System.Globalization;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>A visitor's answer.</summary>
/// <param name="Scores">One score per question, on the survey's scale (CSAT and CES 1–5, NPS 0–10).</param>
/// <param name="Comment">Up to 1,000 characters, when the survey asks for one.</param>
public sealed record SurveyAnswerRequest(IReadOnlyList<int>? Scores, string? Comment = null);

/// <summary>
/// <c>POST /api/v1/widget/surveys/{id}/answer</c> (visitor token): answers a survey of the visitor's own conversation,
/// or changes the answer within the template's window. Someone else's survey is 404; a score off the scale, a missing
/// score or a comment not asked for is 400 (<c>invalid_survey_answer</c> with its field); after the window 409
/// (<c>survey_closed</c>). Refused answers store nothing. An answer records <c>survey.answered</c> (durable lane) with the
/// agents who handled the conversation, and a low score runs <see cref="LowScoreRecovery"/>, all in one transaction.
/// </summary>
internal sealed class AnswerSurvey(IDbContextFactory<KefuDbContext> dbFactory, LowScoreRecovery recovery, Notifications.Contracts.ILowScoreAlerts alerts,
    IConversationReader conversations, IMessageFanout fanout, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/surveys/{id:guid}/answer", async Task<Results<Ok<VisitorSurveyDto>, ProblemHttpResult>> (
                Guid id, SurveyAnswerRequest request, HttpContext http, AnswerSurvey handler, CancellationToken ct) =>
            {
                if (VisitorIdentity.From(http.User) is not { } visitor)
                {
                    return KefuProblems.Problem(SurveyErrors.SurveyNotFound);
                }

                var (dto, error) = await handler.HandleAsync(visitor, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .RequireRateLimiting(Channels.WebWidget.WidgetModule.FeedbackRateLimit) // per client IP: a script must not flood the scores
            .DisableAntiforgery() // visitor bearer token, no cookie
            .WithName("AnswerSurvey")
            .WithTags("Widget");

    public async Task<(VisitorSurveyDto?, KefuError?)> HandleAsync(VisitorIdentity visitor, Guid id, SurveyAnswerRequest? request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Recovery? recovered = null;
        SurveyResponse? response;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            response = await GetVisitorSurvey.Mine(db, visitor, id).FirstOrDefaultAsync(cancellationToken);
            if (response is null)
            {
                return (null, SurveyErrors.SurveyNotFound);
            }

            var (scores, comment, invalid) = Validate(response, request);
            if (invalid is not null)
            {
                return (null, invalid);
            }

            if (response.AnsweredAt is not null && now > response.ChangeableUntil)
            {
                return (null, SurveyErrors.Closed);
            }

            var conversation = await db.Conversations.AsNoTracking().FirstAsync(c => c.Id == response.ConversationId, cancellationToken);
            var template = await db.Set<SurveyTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == response.TemplateId, cancellationToken);
            var writers = await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && m.SenderType == SenderType.Agent && m.SenderId != null)
                .Select(m => m.SenderId!.Value).Distinct().ToListAsync(cancellationToken);
            var agents = (conversation.AssigneeId is { } assignee ? writers.Prepend(assignee) : writers).Distinct();

            response.ChangeableUntil ??= now.AddMinutes(template?.ChangeWindowMinutes ?? 0);
            response.AnsweredAt = now;
            response.Score = scores![0];
            response.Scores = string.Join(' ', scores.Select(s => s.ToString(CultureInfo.InvariantCulture)));
            response.Comment = comment;
            response.AgentIds = string.Join(' ', agents.Select(a => a.ToString("D")));

            // Recovery runs once per survey: a second low answer within the window must not alert and tag again.
            if (template?.LowScoreThreshold is { } threshold && scores[0] <= threshold && !response.LowScore)
            {
                response.LowScore = true;
                recovered = await recovery.ApplyAsync(db, response, template, conversation, now, cancellationToken);
            }

            ConversationJournal.Append(db, new SurveyAnswered(response.Id, response.Kind, scores[0])
            {
                TenantId = response.TenantId, ConversationId = response.ConversationId, Actor = Actor.Visitor(visitor.ContactId), OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (recovered is not null)
        {
            alerts.Announce(response.TenantId, recovered.Alerted);
            if (recovered.Reopened && await conversations.FindAsync(response.TenantId, response.ConversationId, cancellationToken) is { } dto)
            {
                fanout.ConversationChanged(response.TenantId, dto);
            }
        }

        return (GetVisitorSurvey.ToDto(response, now), null);
    }

    /// <summary>The scores and comment to store, or the field at fault.</summary>
    private static (int[]? Scores, string? Comment, KefuError? Error) Validate(SurveyResponse response, SurveyAnswerRequest? request)
    {
        var (min, max) = SurveyKinds.Scale(response.Kind);
        var questions = SurveyTemplate.Read(response.Questions).Count;
        if (request?.Scores is not { } scores || scores.Count != questions || scores.Any(s => s < min || s > max))
        {
            return (null, null, SurveyErrors.InvalidAnswer("scores", $"scores must hold {questions} scores between {min} and {max}."));
        }

        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        if (comment is not null && (!response.AskComment || comment.Length > SurveyLimits.CommentLength || comment.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            return (null, null, SurveyErrors.InvalidAnswer("comment", response.AskComment ? "comment may be up to 1000 characters." : "This survey asks for no comment."));
        }

        return ([.. scores], comment, null);
    }
}
