using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>A survey template to create or replace.</summary>
/// <param name="Name">1–100 characters, unique in the workspace.</param>
/// <param name="Kind"><c>csat</c> (1–5), <c>nps</c> (0–10) or <c>ces</c> (1–5).</param>
/// <param name="Style">CSAT only: <c>stars</c> (default), <c>faces</c> or <c>numbers</c>; NPS and CES are always numbers.</param>
/// <param name="Questions">One to five questions, each worded in English and/or Chinese (up to 200 characters each), all rated on the kind's scale.</param>
/// <param name="AskComment">True to offer a comment box.</param>
/// <param name="LowScoreThreshold">A first-question score at or below this starts recovery; null for none.</param>
/// <param name="LowScoreTag">A contact tag added on a low score; null for none.</param>
/// <param name="ReopenOnLowScore">True to reopen a resolved conversation on a low score.</param>
/// <param name="ChangeWindowMinutes">Minutes (0–10080) during which the visitor may change an answer; default 60.</param>
public sealed record SurveyTemplateRequest(
    string? Name, string? Kind, string? Style, IReadOnlyList<SurveyQuestion>? Questions, bool AskComment = false,
    int? LowScoreThreshold = null, string? LowScoreTag = null, bool ReopenOnLowScore = false, int? ChangeWindowMinutes = null);

/// <summary>A survey template as the API and the console show it.</summary>
public sealed record SurveyTemplateDto(
    Guid Id, string Name, string Kind, string Style, IReadOnlyList<SurveyQuestion> Questions, bool AskComment,
    int? LowScoreThreshold, string? LowScoreTag, bool ReopenOnLowScore, int ChangeWindowMinutes, DateTime UpdatedAt);

/// <summary><c>POST /api/v1/survey-templates</c> and <c>PUT /api/v1/survey-templates/{id}</c>: a workspace's survey templates (audited).</summary>
internal sealed class SaveSurveyTemplate(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/survey-templates", async Task<Results<Ok<SurveyTemplateDto>, ProblemHttpResult>> (
                SurveyTemplateRequest request, HttpContext http, SaveSurveyTemplate handler, CancellationToken ct) =>
                Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, null, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateSurveyTemplate").CreatesResource()
            .WithTags("Surveys");
        api.MapPut("/survey-templates/{id:guid}", async Task<Results<Ok<SurveyTemplateDto>, ProblemHttpResult>> (
                Guid id, SurveyTemplateRequest request, HttpContext http, SaveSurveyTemplate handler, CancellationToken ct) =>
                Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateSurveyTemplate")
            .WithTags("Surveys");
    }

    private static Results<Ok<SurveyTemplateDto>, ProblemHttpResult> Result((SurveyTemplateDto?, KefuError?) r) =>
        r.Item2 is { } error ? KefuProblems.Problem(error) : TypedResults.Ok(r.Item1!);

    /// <summary>Creates (<paramref name="id"/> null) or replaces a template; all fields are checked before anything is stored.</summary>
    public async Task<(SurveyTemplateDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid? id, SurveyTemplateRequest? request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, SurveyErrors.Forbidden);
        }

        if (request is null)
        {
            return (null, KefuError.InvalidRequest);
        }

        if (Validate(request) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        SurveyTemplate? template;
        if (id is { } existing)
        {
            template = await db.Set<SurveyTemplate>().FirstOrDefaultAsync(t => t.Id == existing && t.TenantId == agent.TenantId, cancellationToken);
            if (template is null)
            {
                return (null, SurveyErrors.TemplateNotFound);
            }
        }
        else
        {
            if (await db.Set<SurveyTemplate>().CountAsync(t => t.TenantId == agent.TenantId, cancellationToken) >= SurveyLimits.MaxTemplates)
            {
                return (null, SurveyErrors.TooManyTemplates);
            }

            template = new SurveyTemplate { Id = Guid.CreateVersion7(now), TenantId = agent.TenantId, Name = "", Kind = "", CreatedAt = now };
            db.Add(template);
        }

        var name = request.Name!.Trim();
        if (await db.Set<SurveyTemplate>().AnyAsync(t => t.TenantId == agent.TenantId && t.Name == name && t.Id != template.Id, cancellationToken))
        {
            return (null, SurveyErrors.NameTaken);
        }

        Apply(template, request, name, now);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "survey_template", template.Id.ToString(),
            JsonSerializer.Serialize(new { setting = "survey_template", kind = template.Kind, questions = request.Questions!.Count, threshold = template.LowScoreThreshold, reopen = template.ReopenOnLowScore }))
            .By(agent));
        await db.SaveChangesAsync(cancellationToken);
        return (ToDto(template), null);
    }

    private static void Apply(SurveyTemplate template, SurveyTemplateRequest request, string name, DateTime now)
    {
        template.Name = name;
        template.Kind = request.Kind!;
        template.Style = request.Kind == SurveyKinds.Csat ? request.Style ?? SurveyStyles.Stars : SurveyStyles.Numbers;
        template.Questions = SurveyTemplate.Write(request.Questions!.Select(q => new SurveyQuestion(Clean(q.En), Clean(q.Zh))));
        template.AskComment = request.AskComment;
        template.LowScoreThreshold = request.LowScoreThreshold;
        template.LowScoreTag = string.IsNullOrWhiteSpace(request.LowScoreTag) ? null : request.LowScoreTag.Trim();
        template.ReopenOnLowScore = request.ReopenOnLowScore;
        template.ChangeWindowMinutes = request.ChangeWindowMinutes ?? 60;
        template.UpdatedAt = now;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The first field at fault, or null when the request can be stored as it is.</summary>
    internal static KefuError? Validate(SurveyTemplateRequest request)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > SurveyLimits.NameLength || name.Any(char.IsControl))
        {
            return SurveyErrors.Invalid("name", "name must be 1-100 characters, without control characters.");
        }

        if (!SurveyKinds.All.Contains(request.Kind))
        {
            return SurveyErrors.Invalid("kind", "kind must be csat, nps or ces.");
        }

        if (request.Kind == SurveyKinds.Csat && request.Style is not null && !SurveyStyles.All.Contains(request.Style))
        {
            return SurveyErrors.Invalid("style", "style must be stars, faces or numbers.");
        }

        if (request.Questions is not { Count: >= 1 and <= SurveyLimits.MaxQuestions } questions ||
            questions.Any(q => q is null || (string.IsNullOrWhiteSpace(q.En) && string.IsNullOrWhiteSpace(q.Zh)) || TooLong(q.En) || TooLong(q.Zh)))
        {
            return SurveyErrors.Invalid("questions", "questions must be 1 to 5, each worded in English or Chinese in up to 200 characters.");
        }

        var (min, max) = SurveyKinds.Scale(request.Kind!);
        if (request.LowScoreThreshold is { } threshold && (threshold < min || threshold >= max))
        {
            return SurveyErrors.Invalid("lowScoreThreshold", $"lowScoreThreshold must be between {min} and {max - 1}.");
        }

        if (!string.IsNullOrWhiteSpace(request.LowScoreTag) && ContactTags.TryNormalize([request.LowScoreTag], out _) is not { Count: 1 })
        {
            return SurveyErrors.Invalid("lowScoreTag", "lowScoreTag must be one tag: 1 to 32 letters, digits, '-' or '_'.");
        }

        if (request.ChangeWindowMinutes is < 0 or > SurveyLimits.MaxChangeWindowMinutes)
        {
            return SurveyErrors.Invalid("changeWindowMinutes", "changeWindowMinutes must be between 0 and 10080.");
        }

        return null;
    }

    private static bool TooLong(string? text) => text is not null && (text.Trim().Length > SurveyLimits.QuestionLength || text.Any(c => char.IsControl(c)));

    public static SurveyTemplateDto ToDto(SurveyTemplate t) =>
        new(t.Id, t.Name, t.Kind, t.Style, t.QuestionsOf(), t.AskComment, t.LowScoreThreshold, t.LowScoreTag, t.ReopenOnLowScore, t.ChangeWindowMinutes, t.UpdatedAt);
}
