using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Tickets.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Tickets;

/// <summary><c>POST /api/v1/tickets/fields</c> (Settings permission): defines a custom ticket field; audited.</summary>
internal sealed class CreateTicketField(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/tickets/fields", async Task<Results<Created<TicketFieldDto>, ProblemHttpResult>> (
                TicketFieldInput input, HttpContext http, CreateTicketField handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, input, ct) is var (dto, error) && error is null
                    ? TypedResults.Created($"/api/v1/tickets/fields/{dto!.Id}", dto) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateTicketField")
            .WithTags("Tickets");

    public async Task<(TicketFieldDto?, KefuError?)> HandleAsync(AgentIdentity caller, TicketFieldInput? input, CancellationToken ct)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, ct))
        {
            return (null, TicketErrors.Forbidden);
        }

        if (Validate(input, out var options) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.Set<TicketFieldDefinition>().Where(d => d.TenantId == caller.TenantId).Select(d => d.Key).ToListAsync(ct);
        if (keys.Contains(input!.Key!))
        {
            return (null, new KefuError("ticket_field_key_taken", "A ticket field with this key exists.") with { Field = "key" });
        }

        if (keys.Count >= TicketFieldRules.MaxDefinitions)
        {
            return (null, Invalid("key", $"A workspace has at most {TicketFieldRules.MaxDefinitions} ticket fields."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var definition = new TicketFieldDefinition
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Key = input.Key!, LabelEn = SafeText.SingleLine(input.LabelEn),
            LabelZh = SafeText.SingleLine(input.LabelZh), Type = input.Type!.Value, Options = string.Join('\n', options), Required = input.Required, CreatedAt = now,
        };
        db.Add(definition);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "ticket_field", definition.Id.ToString(), "ticketField=created").By(caller));
        await db.SaveChangesAsync(ct);
        return (definition.ToDto(), null);
    }

    private static KefuError? Validate(TicketFieldInput? r, out List<string> options)
    {
        options = [.. (r?.Options ?? []).Select(SafeText.SingleLine)];
        if (r?.Key is null || !TicketFieldRules.KeyPattern().IsMatch(r.Key))
        {
            return Invalid("key", "key must be 1 to 40 lowercase letters, digits or '_', starting with a letter.");
        }

        if (r.Type is not { } type || !Enum.IsDefined(type))
        {
            return Invalid("type", "type must be text, number, date, list or boolean.");
        }

        return ValidateTerms(r.LabelEn, r.LabelZh, type, options);
    }

    /// <summary>What a create and a change check alike: the labels, and options for a list only (1 to 50 distinct).</summary>
    internal static KefuError? ValidateTerms(string? labelEn, string? labelZh, ContactAttributeType type, List<string> options)
    {
        foreach (var (field, label) in new[] { ("labelEn", labelEn), ("labelZh", labelZh) })
        {
            if (SafeText.SingleLine(label).Length is 0 or > TicketFieldRules.MaxLabelLength)
            {
                return Invalid(field, $"{field} must be 1 to {TicketFieldRules.MaxLabelLength} characters.");
            }
        }

        var listOk = options.Count is > 0 and <= TicketFieldRules.MaxOptions && options.All(o => o.Length is > 0 and <= TicketFieldRules.MaxLabelLength) &&
                     options.Distinct(StringComparer.OrdinalIgnoreCase).Count() == options.Count;
        return type == ContactAttributeType.List && !listOk ? Invalid("options", $"A list needs 1 to {TicketFieldRules.MaxOptions} distinct options of 1 to 60 characters.")
            : type != ContactAttributeType.List && options.Count > 0 ? Invalid("options", "Only a list has options.")
            : null;
    }

    internal static KefuError Invalid(string field, string message) => new KefuError("invalid_ticket_field_definition", message) with { Field = field };
}
