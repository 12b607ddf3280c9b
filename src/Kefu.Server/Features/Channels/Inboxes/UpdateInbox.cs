using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}</c> (settings permission): renames the inbox and replaces its allowed origins. A site
/// removed from the list can no longer open the widget or a visitor connection (within the inbox cache's 30 seconds
/// on other nodes; at once on this one).
/// </summary>
internal sealed class UpdateInbox(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, UpdateInboxRequest request, HttpContext http, UpdateInbox handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInbox")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, UpdateInboxRequest request, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            var (name, nameError) = InboxRules.Name(request.Name);
            var (origins, originError) = request.AllowedOrigins is null ? (inbox.AllowedOriginList().ToList(), null) : InboxRules.Origins(request.AllowedOrigins);
            if ((nameError ?? originError) is { } invalid)
            {
                return (null, invalid);
            }

            inbox.Name = name!;
            inbox.AllowedOrigins = string.Join(' ', origins!);
            return ($"name, allowedOrigins={origins!.Count}", null);
        }, cancellationToken);
}
