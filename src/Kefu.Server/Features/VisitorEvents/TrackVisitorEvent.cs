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

/// <summary>An event the host page reports (<c>Kefu.track(name, props)</c>).</summary>
/// <param name="Name">The event's name: a letter, then letters, digits, <c>_ . -</c>; 64 characters at most.</param>
/// <param name="Props">A flat object: up to 20 keys, values strings (255 characters at most), numbers or true/false; 2 KB at most.</param>
public sealed record TrackEventRequest(string? Name, JsonElement? Props);

/// <summary>
/// <c>POST /api/v1/widget/events</c> (visitor token): stores one event of the visitor's. A bad name or properties are
/// refused with the field and nothing is stored; a visitor calling too often gets <c>429</c> with <c>Retry-After</c>.
/// </summary>
internal sealed class TrackVisitorEvent(IDbContextFactory<KefuDbContext> dbFactory, VisitorCallLimit limit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/events", async Task<Results<NoContent, ProblemHttpResult>> (TrackEventRequest request, HttpContext http, TrackVisitorEvent handler, CancellationToken ct) =>
                // Only a visitor's token names a contact: an agent's token is refused, not guessed at.
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(new KefuError("forbidden", "Only a widget visitor can track events."))
                : await handler.HandleAsync(visitor, request, ct) is { } error ? KefuProblems.Problem(error, http.Response) : TypedResults.NoContent())
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .WithMetadata(new RequestSizeLimitAttribute(VisitorEventRules.MaxBodyBytes))
            .WithName("TrackVisitorEvent")
            .WithTags("Widget")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    public async Task<KefuError?> HandleAsync(VisitorIdentity visitor, TrackEventRequest? request, CancellationToken cancellationToken)
    {
        if (!VisitorEventRules.IsName(request?.Name))
        {
            return VisitorEventRules.InvalidName;
        }

        var (props, error) = VisitorEventRules.Flat(request!.Props, "props", VisitorEventRules.MaxProps, nullRemoves: false);
        if (props is null)
        {
            return error;
        }

        var json = props.Count == 0 ? null : VisitorEventRules.Serialize(props);
        if (json is not null && Encoding.UTF8.GetByteCount(json) > VisitorEventRules.MaxPropsBytes)
        {
            return VisitorEventRules.Invalid("props", $"is larger than {VisitorEventRules.MaxPropsBytes} bytes");
        }

        // Counted only for a valid call: a page's bug is answered with its error, not with a wait.
        if (limit.Take(visitor.ContactId) is { } limited)
        {
            return limited;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Set<VisitorEvent>().Add(new VisitorEvent
        {
            TenantId = visitor.TenantId, InboxId = visitor.InboxId, ContactId = visitor.ContactId, Name = request.Name!, Props = json,
            OccurredAt = time.GetUtcNow().UtcDateTime,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException)
        {
            // The contact was erased while its token still works (the foreign key refuses the row).
            return new KefuError("contact_not_found", "The visitor's contact no longer exists.");
        }
    }
}
