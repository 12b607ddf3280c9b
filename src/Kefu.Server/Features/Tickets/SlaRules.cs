using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/sla-rules</c> (Tickets permission), <c>PUT /api/v1/tickets/sla-rules</c> and
/// <c>DELETE /api/v1/tickets/sla-rules/{id}</c> (Settings permission): SLA policies for a tag or an inbox, which win over
/// the priority's (<see cref="SlaPolicyResolver"/>). A PUT names exactly one of <c>tag</c> and <c>inboxId</c> and
/// replaces that rule. The same checks as a priority's policy; nothing is stored on a refusal. Applies to tickets
/// created, re-prioritised or re-tagged after it. Audited.
/// </summary>
internal sealed class SlaRules(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tickets/sla-rules", async Task<Results<Ok<IReadOnlyList<SlaRuleDto>>, ProblemHttpResult>> (HttpContext http, SlaRules handler, CancellationToken ct) =>
                await handler.ListAsync(AgentIdentity.From(http.User)!, ct) is { } list ? TypedResults.Ok(list) : KefuProblems.Problem(TicketErrors.Forbidden))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("ListSlaRules")
            .WithTags("Tickets");
        api.MapPut("/tickets/sla-rules", async Task<Results<Ok<SlaRuleDto>, ProblemHttpResult>> (SlaRuleDto input, HttpContext http, SlaRules handler, CancellationToken ct) =>
                await handler.SaveAsync(AgentIdentity.From(http.User)!, input, ct) is var (dto, error) && error is null ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("SaveSlaRule")
            .WithTags("Tickets");
        api.MapDelete("/tickets/sla-rules/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, SlaRules handler, CancellationToken ct) =>
                await handler.DeleteAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("DeleteSlaRule")
            .WithTags("Tickets");
    }

    public async Task<IReadOnlyList<SlaRuleDto>?> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Tickets, ct))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<SlaRule>().AsNoTracking().Where(r => r.TenantId == caller.TenantId).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(ct);
        return [.. rows.Select(r => r.ToDto())];
    }

    public async Task<(SlaRuleDto?, KefuError?)> SaveAsync(AgentIdentity caller, SlaRuleDto? input, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, TicketErrors.Forbidden);
        }

        var tag = input?.Tag is { } t ? TicketRules.Tags([t]) : (null, null);
        if (input is null || (input.Tag is null) == (input.InboxId is null))
        {
            return (null, TicketErrors.InvalidSla("tag", "Name exactly one of tag and inboxId."));
        }

        if (input.Tag is not null && (tag.Error is not null || string.IsNullOrEmpty(tag.Tags) || tag.Tags.Contains(' ', StringComparison.Ordinal)))
        {
            return (null, TicketErrors.InvalidSla("tag", $"A tag is 1 to {TicketRules.MaxTagLength} letters, digits, '-' or '_'."));
        }

        if (SlaPolicies.ValidateTerms(input.FirstReplyMinutes, input.NextReplyMinutes, input.ResolutionMinutes, input.WarnBeforeMinutes, input.BusinessHours, input.TimeZone, input.Holidays) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (input.InboxId is { } inboxId && !await db.Inboxes.AnyAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId, ct))
        {
            return (null, TicketErrors.InvalidSla("inboxId", "No such inbox."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Set<SlaRule>().FirstOrDefaultAsync(r => r.TenantId == caller.TenantId && (input.InboxId != null ? r.InboxId == input.InboxId : r.Tag == tag.Tags), ct);
        if (row is null)
        {
            row = new SlaRule { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Tag = input.InboxId is null ? tag.Tags : null, InboxId = input.InboxId, CreatedAt = now };
            db.Add(row);
        }

        row.FirstReplyMinutes = input.FirstReplyMinutes;
        row.NextReplyMinutes = input.NextReplyMinutes;
        row.ResolutionMinutes = input.ResolutionMinutes;
        row.BusinessHours = (input.BusinessHours ?? "").Trim();
        row.TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        row.Holidays = (input.Holidays ?? "").Trim();
        row.UseInboxHours = input.UseInboxHours;
        row.WarnBeforeMinutes = input.WarnBeforeMinutes;
        row.UpdatedAt = now;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "sla_rule", row.Id.ToString(), $"sla_rule.saved; scope={(row.Tag is null ? "inbox" : "tag")}").By(caller));
        await db.SaveChangesAsync(ct);
        return (row.ToDto(), null);
    }

    public async Task<KefuError?> DeleteAsync(AgentIdentity caller, Guid id, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return TicketErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<SlaRule>().FirstOrDefaultAsync(r => r.Id == id && r.TenantId == caller.TenantId, ct);
        if (row is null)
        {
            return new KefuError("sla_rule_not_found", "No such SLA rule.");
        }

        db.Remove(row);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "sla_rule", id.ToString(), "sla_rule.deleted").By(caller));
        await db.SaveChangesAsync(ct);
        return null;
    }
}
