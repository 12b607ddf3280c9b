using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/prechat</c> (settings permission): the pre-chat form's fields, labels and departments.
/// The whole form is checked before anything is stored; it applies to visitors who have not answered yet.
/// </summary>
internal sealed class UpdateInboxPreChat(InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/prechat", async Task<Results<Ok<InboxDto>, ProblemHttpResult>> (Guid id, PreChatForm request, HttpContext http, UpdateInboxPreChat handler, CancellationToken ct) =>
                InboxHttp.Result(await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, InboxHttp.BaseUrl(http.Request), ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateInboxPreChat")
            .WithTags("Inboxes");

    public Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, PreChatForm? request, string baseUrl, CancellationToken cancellationToken) =>
        edits.ApplyAsync(caller, inboxId, baseUrl, inbox =>
        {
            var (form, error) = PreChatRules.Form(request);
            if (form is null)
            {
                return (null, error);
            }

            inbox.PreChatForm = PreChatRules.Write(form);
            // The detail says what is asked, never a label or a department's name.
            return ($"prechat.enabled={(form.Enabled ? "true" : "false")} name={Mode(form.Name)} email={Mode(form.Email)} phone={Mode(form.Phone)} " +
                    $"department={Mode(form.Department)} departments={form.Departments!.Count}", null);
        }, cancellationToken);

    private static string Mode(PreChatField? field) => (field?.Mode ?? PreChatFieldMode.Off).ToString().ToLowerInvariant();
}
