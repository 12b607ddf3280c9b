using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Surveys;

/// <summary>When an inbox sends which survey.</summary>
/// <param name="TemplateId">The survey; null: the inbox sends none (the rule is removed).</param>
/// <param name="Trigger"><c>resolve</c> (default), <c>silence</c> or <c>manual</c> (only agents send it).</param>
/// <param name="SilenceMinutes">For <c>silence</c>: 1–10080 minutes without a message after an agent's reply.</param>
/// <param name="QuietDays">0–365: a contact surveyed within this many days is not asked again.</param>
/// <param name="Enabled">False keeps the rule but sends nothing, not even by hand.</param>
/// <param name="TicketAtOrBelow">0–10: an answer whose first rating is at or below this opens a ticket linked to the conversation (once); null: none.</param>
public sealed record SurveyRuleRequest(Guid? TemplateId, string? Trigger = null, int? SilenceMinutes = null, int? QuietDays = null, bool Enabled = true,
    int? TicketAtOrBelow = null);

/// <summary>An inbox's survey rule.</summary>
/// <param name="InboxId">The inbox.</param>
/// <param name="TemplateId">The survey it sends; null when none.</param>
/// <param name="Trigger">What sends it.</param>
/// <param name="SilenceMinutes">For the silence trigger.</param>
/// <param name="QuietDays">The pause between two surveys of a contact.</param>
/// <param name="Enabled">Whether it sends.</param>
/// <param name="UpdatedAt">Last changed.</param>
/// <param name="TicketAtOrBelow">The score at or below which an answer opens a ticket; null: none.</param>
public sealed record SurveyRuleDto(Guid InboxId, Guid? TemplateId, string Trigger, int SilenceMinutes, int QuietDays, bool Enabled, DateTime? UpdatedAt,
    int? TicketAtOrBelow = null);

/// <summary><c>PUT /api/v1/inboxes/{id}/survey-rule</c>: sets or removes an inbox's survey rule (audited).</summary>
internal sealed class SetSurveyRule(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/survey-rule", async Task<Results<Ok<SurveyRuleDto>, ProblemHttpResult>> (
                Guid id, SurveyRuleRequest request, HttpContext http, SetSurveyRule handler, CancellationToken ct) =>
            {
                var (dto, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("SetSurveyRule")
            .WithTags("Surveys");

    public async Task<(SurveyRuleDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid inboxId, SurveyRuleRequest? request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(agent, Permission.Settings, cancellationToken))
        {
            return (null, SurveyErrors.Forbidden);
        }

        if (request is null)
        {
            return (null, KefuError.InvalidRequest);
        }

        var trigger = request.Trigger ?? SurveyTriggers.Resolve;
        if (!SurveyTriggers.All.Contains(trigger))
        {
            return (null, SurveyErrors.Invalid("trigger", "trigger must be resolve, silence or manual."));
        }

        if (trigger == SurveyTriggers.Silence ? request.SilenceMinutes is not (>= 1 and <= SurveyLimits.MaxSilenceMinutes) : request.SilenceMinutes is < 0 or > SurveyLimits.MaxSilenceMinutes)
        {
            return (null, SurveyErrors.Invalid("silenceMinutes", "silenceMinutes must be between 1 and 10080 for the silence trigger."));
        }

        if (request.QuietDays is < 0 or > SurveyLimits.MaxQuietDays)
        {
            return (null, SurveyErrors.Invalid("quietDays", "quietDays must be between 0 and 365."));
        }

        // The widest scale (NPS) is 0–10; on a 1–5 survey a threshold above 5 simply means every answer.
        if (request.TicketAtOrBelow is < 0 or > 10)
        {
            return (null, SurveyErrors.Invalid("ticketAtOrBelow", "ticketAtOrBelow must be between 0 and 10."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == agent.TenantId, cancellationToken))
        {
            return (null, SurveyErrors.InboxNotFound);
        }

        // Another workspace's template reads as a wrong field, never as "exists elsewhere".
        if (request.TemplateId is { } templateId &&
            !await db.Set<SurveyTemplate>().AnyAsync(t => t.Id == templateId && t.TenantId == agent.TenantId, cancellationToken))
        {
            return (null, SurveyErrors.Invalid("templateId", "templateId must be a survey template of this workspace."));
        }

        var rule = await db.Set<SurveyRule>().FirstOrDefaultAsync(r => r.InboxId == inboxId, cancellationToken);
        if (request.TemplateId is not { } template)
        {
            if (rule is not null)
            {
                db.Remove(rule);
            }

            rule = null;
        }
        else
        {
            if (rule is null)
            {
                rule = new SurveyRule { InboxId = inboxId, TenantId = agent.TenantId };
                db.Add(rule);
            }

            rule.TemplateId = template;
            rule.Trigger = trigger;
            rule.SilenceMinutes = request.SilenceMinutes ?? 0;
            rule.QuietDays = request.QuietDays ?? 0;
            rule.Enabled = request.Enabled;
            rule.TicketAtOrBelow = request.TicketAtOrBelow;
            rule.UpdatedAt = time.GetUtcNow().UtcDateTime;
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), JsonSerializer.Serialize(new
        {
            setting = "survey_rule", templateId = request.TemplateId, trigger, silenceMinutes = request.SilenceMinutes, quietDays = request.QuietDays, enabled = request.Enabled,
            ticketAtOrBelow = request.TicketAtOrBelow,
        })).By(agent));
        await db.SaveChangesAsync(cancellationToken);
        return (ToDto(inboxId, rule), null);
    }

    public static SurveyRuleDto ToDto(Guid inboxId, SurveyRule? rule) => rule is null
        ? new(inboxId, null, SurveyTriggers.Resolve, 0, 0, false, null)
        : new(inboxId, rule.TemplateId, rule.Trigger, rule.SilenceMinutes, rule.QuietDays, rule.Enabled, rule.UpdatedAt, rule.TicketAtOrBelow);
}
