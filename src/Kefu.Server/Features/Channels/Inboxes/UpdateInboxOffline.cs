using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/offline</c> (settings permission): the offline form's switch, intro and when it shows.
/// Checked whole before anything is stored; it applies from the visitor's next session.
/// </summary>
internal sealed class UpdateInboxOffline(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/offline", async Task<Results<Ok<OfflineForm>, ProblemHttpResult>> (Guid id, OfflineForm request, HttpContext http, UpdateInboxOffline handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct) is var (inbox, error) && error is null
                    ? TypedResults.Ok(inbox!.Offline) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInboxOffline")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, OfflineForm? request, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            var (form, error) = OfflineRules.Form(request);
            if (form is null)
            {
                return (null, error);
            }

            inbox.OfflineForm = OfflineRules.Write(form);
            // The detail says when the form shows, never the intro's words.
            return ($"offline.enabled={Flag(form.Enabled)} outsideHours={Flag(form.OutsideHours)} noAgents={Flag(form.NoAgents)} intro={Flag(form.Intro is not null)}", null);
        }, cancellationToken);

    private static string Flag(bool value) => value ? "true" : "false";
}
