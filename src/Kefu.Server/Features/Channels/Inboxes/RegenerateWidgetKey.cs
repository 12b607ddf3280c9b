using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>POST /api/v1/inboxes/{id}/widget-key</c> (settings permission): a new widget key. The old one stops at once on
/// this node (within 30 seconds on others): pages still carrying it no longer load the widget or start sessions, so
/// every site must get the new snippet. Visitors already connected keep their conversations (their tokens name the
/// inbox, not the key).
/// </summary>
internal sealed class RegenerateWidgetKey(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/{id:guid}/widget-key", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, HttpContext http, RegenerateWidgetKey handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("RegenerateWidgetKey")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            if (inbox.Channel != ChannelType.WebWidget)
            {
                return (null, InboxErrors.ChannelNotAvailable);
            }

            inbox.WidgetKey = CreateInbox.NewKey();
            return ("widgetKey regenerated", null);
        }, cancellationToken);
}
