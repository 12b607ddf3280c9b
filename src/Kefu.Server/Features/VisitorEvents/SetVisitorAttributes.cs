using System.Text;
using System.Text.Json;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.WebWidget;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.VisitorEvents;

/// <summary>Attributes the host page sets on its visitor (<c>Kefu.setAttributes({...})</c>).</summary>
/// <param name="Attributes">
/// A flat object merged into the visitor's attributes: values strings (255 characters at most), numbers or true/false;
/// null removes a key. At most 50 keys and 4 KB after merging.
/// </param>
public sealed record SetAttributesRequest(JsonElement? Attributes);

/// <summary>The visitor's attributes after a merge.</summary>
/// <param name="Attributes">Every attribute the visitor now has.</param>
public sealed record VisitorAttributesDto(IReadOnlyDictionary<string, JsonElement> Attributes);

/// <summary>
/// <c>PUT /api/v1/widget/attributes</c> (visitor token): merges attributes into the visitor's. A refused call changes
/// nothing, not even the keys that were valid.
/// </summary>
internal sealed class SetVisitorAttributes(IDbContextFactory<KefuDbContext> dbFactory, VisitorCallLimit limit, TimeProvider time)
{
    private const string Field = "attributes";

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/widget/attributes", async Task<Results<Ok<VisitorAttributesDto>, ProblemHttpResult>> (SetAttributesRequest request, HttpContext http, SetVisitorAttributes handler, CancellationToken ct) =>
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(new KefuError("forbidden", "Only a widget visitor has attributes."))
                : await handler.HandleAsync(visitor, request, ct) is var (value, error) && error is not null ? KefuProblems.Problem(error, http.Response)
                : TypedResults.Ok(value!))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .WithMetadata(new RequestSizeLimitAttribute(VisitorEventRules.MaxBodyBytes))
            .WithName("SetVisitorAttributes")
            .WithTags("Widget")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public async Task<(VisitorAttributesDto? Value, KefuError? Error)> HandleAsync(VisitorIdentity visitor, SetAttributesRequest? request, CancellationToken cancellationToken)
    {
        var (changes, error) = VisitorEventRules.Flat(request?.Attributes, Field, VisitorEventRules.MaxAttributes, nullRemoves: true);
        if (changes is null)
        {
            return (null, error);
        }

        if (limit.Take(visitor.ContactId) is { } limited)
        {
            return (null, limited);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<VisitorAttributeSet>().FirstOrDefaultAsync(a => a.ContactId == visitor.ContactId && a.TenantId == visitor.TenantId, cancellationToken);
        var merged = row is null ? [] : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(row.Values) ?? [];
        foreach (var (key, value) in changes)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        var json = VisitorEventRules.Serialize(merged);
        if (merged.Count > VisitorEventRules.MaxAttributes)
        {
            return (null, VisitorEventRules.Invalid(Field, $"would make more than {VisitorEventRules.MaxAttributes} keys"));
        }

        if (Encoding.UTF8.GetByteCount(json) > VisitorEventRules.MaxAttributesBytes)
        {
            return (null, VisitorEventRules.Invalid(Field, $"would be larger than {VisitorEventRules.MaxAttributesBytes} bytes"));
        }

        if (row is null)
        {
            row = new VisitorAttributeSet { ContactId = visitor.ContactId, TenantId = visitor.TenantId, Values = json };
            db.Add(row);
        }

        row.Values = json;
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The contact was erased meanwhile, or two tabs set attributes at once: the page may call again.
            return (null, new KefuError("contact_not_found", "The visitor's contact no longer exists or changed meanwhile; try again."));
        }

        return (new VisitorAttributesDto(merged), null);
    }
}
