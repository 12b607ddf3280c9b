using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>GET /api/v1/tickets/sla-policies</c> (Tickets permission) and <c>PUT /api/v1/tickets/sla-policies</c>
/// (Settings permission): the SLA targets per priority. A target is 1 minute to 365 days, or absent; zero, negative or
/// unparseable hours are refused with the field named and nothing stored. A change applies to tickets created or
/// re-prioritised after it (running clocks are not rewritten). Audited.
/// </summary>
internal sealed class SlaPolicies(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public const int MaxMinutes = 365 * 24 * 60;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/tickets/sla-policies", async Task<Results<Ok<IReadOnlyList<SlaPolicyDto>>, ProblemHttpResult>> (HttpContext http, SlaPolicies handler, CancellationToken ct) =>
                await handler.ListAsync(AgentIdentity.From(http.User)!, ct) is { } list ? TypedResults.Ok(list) : KefuProblems.Problem(TicketErrors.Forbidden))
            .RequireAuthorization(AccessPolicies.For(Permission.Tickets))
            .WithName("ListSlaPolicies")
            .WithTags("Tickets");
        api.MapPut("/tickets/sla-policies", async Task<Results<Ok<SlaPolicyDto>, ProblemHttpResult>> (
                SlaPolicyDto input, HttpContext http, SlaPolicies handler, CancellationToken ct) =>
                await handler.SaveAsync(AgentIdentity.From(http.User)!, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("SaveSlaPolicy")
            .WithTags("Tickets");
    }

    /// <summary>The workspace's policies, by priority; null when the caller may not work tickets.</summary>
    public async Task<IReadOnlyList<SlaPolicyDto>?> ListAsync(AgentIdentity caller, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Tickets, ct))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<SlaPolicy>().AsNoTracking().Where(p => p.TenantId == caller.TenantId).ToListAsync(ct);
        return [.. rows.OrderBy(p => p.Priority).Select(p => p.ToDto())];
    }

    public async Task<(SlaPolicyDto?, KefuError?)> SaveAsync(AgentIdentity caller, SlaPolicyDto? input, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, TicketErrors.Forbidden);
        }

        if (Validate(input) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<SlaPolicy>().FirstOrDefaultAsync(p => p.TenantId == caller.TenantId && p.Priority == input!.Priority, ct);
        if (row is null)
        {
            row = new SlaPolicy { TenantId = caller.TenantId, Priority = input!.Priority };
            db.Add(row);
        }

        row.FirstReplyMinutes = input!.FirstReplyMinutes;
        row.NextReplyMinutes = input.NextReplyMinutes;
        row.ResolutionMinutes = input.ResolutionMinutes;
        row.BusinessHours = (input.BusinessHours ?? "").Trim();
        row.TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim();
        row.Holidays = (input.Holidays ?? "").Trim();
        row.UseInboxHours = input.UseInboxHours;
        row.WarnBeforeMinutes = input.WarnBeforeMinutes;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "sla_policy", row.Priority.ToString().ToLowerInvariant(),
            $"sla_policy.saved; businessHours={(row.BusinessHours.Length > 0 ? "yes" : "no")}").By(caller));
        await db.SaveChangesAsync(ct);
        return (row.ToDto(), null);
    }

    /// <summary>Null when the policy is valid; otherwise the error on its first bad field.</summary>
    public static KefuError? Validate(SlaPolicyDto? p) =>
        p is null || !Enum.IsDefined(p.Priority)
            ? TicketErrors.InvalidSla("priority", "Unknown priority.")
            : ValidateTerms(p.FirstReplyMinutes, p.NextReplyMinutes, p.ResolutionMinutes, p.WarnBeforeMinutes, p.BusinessHours, p.TimeZone, p.Holidays);

    /// <summary>The checks a priority policy and a tag or inbox rule share: targets, warning, hours, zone, holidays.</summary>
    public static KefuError? ValidateTerms(int? firstReply, int? nextReply, int? resolution, int warnBefore, string? businessHours, string? timeZone, string? holidays)
    {
        foreach (var (field, minutes) in new[] { ("firstReplyMinutes", firstReply), ("nextReplyMinutes", nextReply), ("resolutionMinutes", resolution) })
        {
            if (minutes is { } m && m is < 1 or > MaxMinutes)
            {
                return TicketErrors.InvalidSla(field, $"A target is 1 to {MaxMinutes} minutes, or none.");
            }
        }

        if (warnBefore is < 0 or > 24 * 60)
        {
            return TicketErrors.InvalidSla("warnBeforeMinutes", "Warn 0 to 1440 minutes before a target.");
        }

        if ((businessHours ?? "").Length > 500 || (holidays ?? "").Length > 4000)
        {
            return TicketErrors.InvalidSla((businessHours ?? "").Length > 500 ? "businessHours" : "holidays", "Too long.");
        }

        if (WeeklyHours.TryParse(businessHours, timeZone, holidays, out var error) is null)
        {
            var field = error?.Contains("time zone", StringComparison.Ordinal) == true ? "timeZone"
                : error?.Contains("not a date", StringComparison.Ordinal) == true ? "holidays" : "businessHours";
            return TicketErrors.InvalidSla(field, error ?? "Invalid hours.");
        }

        return null;
    }
}
