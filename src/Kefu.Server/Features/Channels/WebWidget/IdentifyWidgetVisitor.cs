using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kefu.Server.Features.Channels.WebWidget;

/// <summary>The visitor's session after <c>Kefu.identify</c>.</summary>
/// <param name="Token">A visitor token for the contact the widget continues as (a verified customer's own contact on any device).</param>
/// <param name="ExpiresAt">When the token stops working, UTC.</param>
/// <param name="ContactId">That contact.</param>
/// <param name="Verified">True when the id's signature was checked; false for an unverified claim.</param>
public sealed record WidgetIdentity(string Token, DateTime ExpiresAt, Guid ContactId, bool Verified);

/// <summary>
/// <c>POST /api/v1/widget/identify</c> (visitor token): the host page's signed-in customer. The contacts capability
/// checks the signature and picks the contact; this endpoint issues the token for it. A refused call (a wrong hash, or
/// none where the inbox enforces verification) changes nothing and keeps the visitor's token working.
/// </summary>
internal sealed class IdentifyWidgetVisitor(IVisitorIdentification identification, VisitorTokens tokens)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/widget/identify", async Task<Results<Ok<WidgetIdentity>, ProblemHttpResult>> (IdentifyRequest request, HttpContext http, IdentifyWidgetVisitor handler, CancellationToken ct) =>
                VisitorIdentity.From(http.User) is not { } visitor ? KefuProblems.Problem(new KefuError("forbidden", "Only a widget visitor identifies."))
                : await handler.HandleAsync(visitor, request, ct) is var (value, error) && error is not null ? KefuProblems.Problem(error)
                : TypedResults.Ok(value!))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = VisitorAuthentication.SchemeName })
            .WithMetadata(new RequestSizeLimitAttribute(8 * 1024))
            .RequireRateLimiting(WidgetModule.SessionRateLimit)
            .WithName("IdentifyWidgetVisitor")
            .WithTags("Widget")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    public async Task<(WidgetIdentity? Value, KefuError? Error)> HandleAsync(VisitorIdentity visitor, IdentifyRequest request, CancellationToken cancellationToken)
    {
        var (identified, error) = await identification.IdentifyAsync(visitor.TenantId, visitor.InboxId, visitor.ContactId, request, cancellationToken);
        if (identified is null)
        {
            return (null, error);
        }

        var (token, expires) = tokens.Issue(visitor with { ContactId = identified.ContactId });
        return (new WidgetIdentity(token, expires, identified.ContactId, identified.Verified), null);
    }
}
