using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A new custom contact attribute.</summary>
/// <param name="Key">Lowercase letters, digits and <c>_</c>, starting with a letter, at most 40: the name the API and <c>Kefu.identify</c> use.</param>
/// <param name="LabelEn">English label, 1–60 characters.</param>
/// <param name="LabelZh">Chinese label, 1–60 characters.</param>
/// <param name="Type">Value type.</param>
/// <param name="Options">For a list: 1–50 distinct options of 1–60 characters.</param>
public sealed record CreateContactAttributeRequest(string? Key, string? LabelEn, string? LabelZh, ContactAttributeType? Type, IReadOnlyList<string>? Options = null);

/// <summary><c>POST /api/v1/contact-attributes</c> (settings permission): defines a custom contact attribute; audited.</summary>
internal sealed class CreateContactAttribute(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contact-attributes", async Task<Results<Ok<ContactAttributeDefinitionDto>, ProblemHttpResult>> (
                CreateContactAttributeRequest request, HttpContext http, CreateContactAttribute handler, CancellationToken ct) =>
            {
                var (value, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(value!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateContactAttribute").CreatesResource()
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

    public async Task<(ContactAttributeDefinitionDto? Value, KefuError? Error)> HandleAsync(AgentIdentity caller, CreateContactAttributeRequest request, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, ContactErrors.Forbidden);
        }

        if (Validate(request, out var options) is { } invalid)
        {
            return (null, invalid);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Set<ContactAttributeDefinition>().Where(d => d.TenantId == caller.TenantId).Select(d => d.Key).ToListAsync(cancellationToken);
        if (existing.Contains(request.Key!))
        {
            return (null, new KefuError("contact_attribute_key_taken", "An attribute with this key exists.") with { Field = "key" });
        }

        if (existing.Count >= ContactAttributeRules.MaxDefinitions)
        {
            return (null, Invalid("key", $"A workspace has at most {ContactAttributeRules.MaxDefinitions} contact attributes."));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var definition = new ContactAttributeDefinition
        {
            Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Key = request.Key!, LabelEn = SafeText.SingleLine(request.LabelEn),
            LabelZh = SafeText.SingleLine(request.LabelZh), Type = request.Type!.Value, Options = string.Join('\n', options), CreatedAt = now,
        };
        db.Add(definition);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "contact_attribute", definition.Id.ToString(), "contactAttribute=created").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (definition.ToDto(), null);
    }

    private static KefuError? Validate(CreateContactAttributeRequest r, out List<string> options)
    {
        options = [.. (r.Options ?? []).Select(SafeText.SingleLine)];
        if (r.Key is null || !ContactAttributeRules.KeyPattern().IsMatch(r.Key))
        {
            return Invalid("key", "key must be 1 to 40 lowercase letters, digits or '_', starting with a letter.");
        }

        foreach (var (field, label) in new[] { ("labelEn", r.LabelEn), ("labelZh", r.LabelZh) })
        {
            if (SafeText.SingleLine(label).Length is 0 or > ContactAttributeRules.MaxLabelLength)
            {
                return Invalid(field, $"{field} must be 1 to {ContactAttributeRules.MaxLabelLength} characters.");
            }
        }

        if (r.Type is not { } type || !Enum.IsDefined(type))
        {
            return Invalid("type", "type must be text, number, date, list or boolean.");
        }

        var listOk = options.Count is > 0 and <= ContactAttributeRules.MaxOptions && options.All(o => o.Length is > 0 and <= ContactAttributeRules.MaxLabelLength) &&
                     options.Distinct(StringComparer.OrdinalIgnoreCase).Count() == options.Count;
        return type == ContactAttributeType.List && !listOk ? Invalid("options", $"A list needs 1 to {ContactAttributeRules.MaxOptions} distinct options of 1 to 60 characters.")
            : type != ContactAttributeType.List && options.Count > 0 ? Invalid("options", "Only a list has options.")
            : null;
    }

    private static KefuError Invalid(string field, string message) => new KefuError("invalid_contact_attribute", message) with { Field = field };
}
