using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>A survey as the widget draws it: the wording as sent, the scale, and the visitor's answer so far.</summary>
/// <param name="Id">The survey.</param>
/// <param name="Kind"><c>csat</c>, <c>nps</c> or <c>ces</c>.</param>
/// <param name="Style"><c>stars</c>, <c>faces</c> or <c>numbers</c>.</param>
/// <param name="Min">Lowest score.</param>
/// <param name="Max">Highest score.</param>
/// <param name="Questions">Each question in English and Chinese (plain text).</param>
/// <param name="AskComment">True when a comment may be added.</param>
/// <param name="Scores">The visitor's scores; empty until answered.</param>
/// <param name="Comment">The visitor's comment.</param>
/// <param name="AnsweredAt">When answered, UTC.</param>
/// <param name="ChangeableUntil">Until when the answer may still be changed, UTC.</param>
/// <param name="CanAnswer">True while it may be answered or changed.</param>
public sealed record VisitorSurveyDto(
    Guid Id, string Kind, string Style, int Min, int Max, IReadOnlyList<SurveyQuestion> Questions, bool AskComment,
    IReadOnlyList<int> Scores, string? Comment, DateTime? AnsweredAt, DateTime? ChangeableUntil, bool CanAnswer);

/// <summary><c>GET /api/v1/widget/surveys/{id}</c> (visitor token): a survey of the visitor's own conversation; anyone else's is 404.</summary>
internal sealed class GetVisitorSurvey(IDbContextFactory<KefuDbContext> dbFactory, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/widget/surveys/{id:guid}", async Task<Results<Ok<VisitorSurveyDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetVisitorSurvey handler, CancellationToken ct) =>
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(SurveyErrors.SurveyNotFound)
                : await handler.HandleAsync(visitor, id, ct) is { } dto ? TypedResults.Ok(dto) : KefuProblems.Problem(SurveyErrors.SurveyNotFound))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .WithName("GetVisitorSurvey")
            .WithTags("Widget");

    public async Task<VisitorSurveyDto?> HandleAsync(VisitorIdentity visitor, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var response = await Mine(db, visitor, id).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return response is null ? null : ToDto(response, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>
    /// The one check that a survey is the visitor's: same workspace, inbox and contact. Anything else reads as not found,
    /// so a guessed id tells nothing about other visitors' conversations.
    /// </summary>
    public static IQueryable<SurveyResponse> Mine(KefuDbContext db, VisitorIdentity visitor, Guid id) =>
        db.Set<SurveyResponse>().Where(r => r.Id == id && r.TenantId == visitor.TenantId && r.InboxId == visitor.InboxId && r.ContactId == visitor.ContactId);

    public static VisitorSurveyDto ToDto(SurveyResponse r, DateTime now)
    {
        var (min, max) = SurveyKinds.Scale(r.Kind);
        return new(r.Id, r.Kind, r.Style, min, max, SurveyTemplate.Read(r.Questions), r.AskComment, ListConversationSurveys.ParseScores(r.Scores),
            r.Comment, r.AnsweredAt, r.ChangeableUntil, r.AnsweredAt is null || now <= r.ChangeableUntil);
    }
}
