using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary>
/// <c>PUT /api/v1/tickets/fields/{id}</c> (Settings permission): changes a custom ticket field's labels, a list's
/// options and whether it is required; the key and the type stay as created. Checked as a create is; a list option that
/// tickets still hold cannot be removed (422 <c>ticket_field_option_in_use</c>, naming the option). Another workspace's
/// field is not found. Nothing is stored on a refusal. Audited.
/// </summary>
internal sealed class UpdateTicketField(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/tickets/fields/{id:guid}", async Task<Results<Ok<TicketFieldDto>, ProblemHttpResult>> (
                Guid id, TicketFieldChange input, HttpContext http, UpdateTicketField handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Ok(dto!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateTicketField")
            .WithTags("Tickets");

    public async Task<(TicketFieldDto?, KefuError?)> HandleAsync(AgentIdentity caller, Guid id, TicketFieldChange? input, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, TicketErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<TicketFieldDefinition>().FirstOrDefaultAsync(d => d.Id == id && d.TenantId == caller.TenantId, ct);
        if (row is null)
        {
            return (null, TicketErrors.FieldNotFound);
        }

        List<string> options = [.. (input?.Options ?? []).Select(SafeText.SingleLine)];
        if (input is null)
        {
            return (null, CreateTicketField.Invalid("labelEn", "A body is required."));
        }

        if (CreateTicketField.ValidateTerms(input.LabelEn, input.LabelZh, row.Type, options) is { } invalid)
        {
            return (null, invalid);
        }

        if (row.Type == ContactAttributeType.List)
        {
            // Values are stored as the option's text: a removed (or re-spelled) option a ticket holds would leave it
            // with a value its field no longer offers.
            var used = await db.Set<TicketFieldValue>().AsNoTracking().Where(v => v.DefinitionId == id).Select(v => v.Value).Distinct().ToListAsync(ct);
            if (used.FirstOrDefault(u => !options.Contains(u, StringComparer.Ordinal)) is { } inUse)
            {
                return (null, new KefuError("ticket_field_option_in_use", $"Tickets still hold '{inUse}'; keep that option.") with { Field = "options" });
            }
        }

        row.LabelEn = SafeText.SingleLine(input.LabelEn);
        row.LabelZh = SafeText.SingleLine(input.LabelZh);
        row.Options = string.Join('\n', options);
        row.Required = input.Required;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_field", id.ToString(), "ticketField=updated").By(caller));
        await db.SaveChangesAsync(ct);
        return (row.ToDto(), null);
    }
}
