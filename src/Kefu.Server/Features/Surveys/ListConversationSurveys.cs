using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>A survey sent in a conversation, and its answer.</summary>
/// <param name="Id">The survey response (the id the widget answers).</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="Kind"><c>csat</c>, <c>nps</c> or <c>ces</c>.</param>
/// <param name="Trigger">What sent it: <c>resolve</c>, <c>silence</c> or <c>manual</c>.</param>
/// <param name="SentAt">When, UTC.</param>
/// <param name="Score">The first question's score; null until answered.</param>
/// <param name="Scores">Every question's score.</param>
/// <param name="Comment">The visitor's comment (their own words: show as text).</param>
/// <param name="AnsweredAt">When last answered, UTC.</param>
/// <param name="AgentIds">The agents who handled the conversation when it was answered.</param>
/// <param name="LowScore">True when an answer fell at or below the template's threshold.</param>
public sealed record SurveyResponseDto(
    Guid Id, Guid ConversationId, string Kind, string Trigger, DateTime SentAt, int? Score, IReadOnlyList<int> Scores, string? Comment,
    DateTime? AnsweredAt, IReadOnlyList<Guid> AgentIds, bool LowScore);

/// <summary>One page of a conversation's surveys.</summary>
/// <param name="Items">Oldest first.</param>
/// <param name="NextAfter">Pass as <c>after</c> for the next page; null on the last.</param>
public sealed record SurveyResponsePage(IReadOnlyList<SurveyResponseDto> Items, Guid? NextAfter);

/// <summary><c>GET /api/v1/conversations/{id}/surveys?after=&amp;limit=</c>: the surveys of a conversation the agent may see, in pages of 1–100.</summary>
internal sealed class ListConversationSurveys(IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/surveys", async Task<Results<Ok<SurveyResponsePage>, ProblemHttpResult>> (
                Guid id, Guid? after, int? limit, HttpContext http, ListConversationSurveys handler, CancellationToken ct) =>
            {
                var (page, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, after, limit ?? 20, ct);
                return error is null ? TypedResults.Ok(page!) : KefuProblems.Problem(error);
            })
            .WithName("ListConversationSurveys")
            .WithTags("Surveys");

    public async Task<(SurveyResponsePage?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, Guid? after, int limit, CancellationToken cancellationToken)
    {
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        if (limit is < 1 or > 100)
        {
            return (null, SurveyErrors.Invalid("limit", "limit must be between 1 and 100."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<SurveyResponse>().AsNoTracking().Where(r => r.ConversationId == conversationId && r.TenantId == agent.TenantId);
        if (after is { } cursor)
        {
            // Ids are version 7: their creation time orders them; the cursor's own time is read and compared as a time.
            var at = await query.Where(r => r.Id == cursor).Select(r => (DateTime?)r.SentAt).FirstOrDefaultAsync(cancellationToken);
            if (at is not { } since)
            {
                return (null, SurveyErrors.Invalid("after", "after must be a survey of this conversation."));
            }

            query = query.Where(r => r.SentAt > since);
        }

        var rows = await query.OrderBy(r => r.SentAt).Take(limit + 1).ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(ToDto).ToList();
        return (new SurveyResponsePage(items, rows.Count > limit ? items[^1].Id : null), null);
    }

    public static SurveyResponseDto ToDto(SurveyResponse r) => new(
        r.Id, r.ConversationId, r.Kind, r.Trigger, r.SentAt, r.Score, ParseScores(r.Scores), r.Comment, r.AnsweredAt,
        [.. r.AgentIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)], r.LowScore);

    public static IReadOnlyList<int> ParseScores(string? scores) =>
        [.. (scores ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];
}
