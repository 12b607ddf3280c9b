using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary><c>PUT /api/v1/inboxes/{id}/appearance</c> (settings permission): the widget's colour, corner, launcher text and greeting.</summary>
internal sealed class UpdateInboxAppearance(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/appearance", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, InboxAppearance request, HttpContext http, UpdateInboxAppearance handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInboxAppearance")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, InboxAppearance request, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            var (color, colorError) = InboxRules.Color(request.Color);
            var (launcher, launcherError) = InboxRules.OptionalLine(request.LauncherText, InboxRules.MaxLauncherText, "launcherText");
            var (greeting, greetingError) = InboxRules.OptionalText(request.Greeting, "greeting");
            var positionError = Enum.IsDefined(request.Position) ? null : InboxErrors.Invalid("position", "The position must be right or left.");
            if ((colorError ?? positionError ?? launcherError ?? greetingError) is { } invalid)
            {
                return (null, invalid);
            }

            inbox.WidgetColor = color!;
            inbox.WidgetPosition = request.Position;
            inbox.LauncherText = launcher;
            inbox.Greeting = greeting;
            return ("appearance", null);
        }, cancellationToken);
}
