using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/email</c> (settings permission): an e-mail inbox's servers, sender, signature and
/// auto-reply. An empty password keeps the stored one. Checked whole before anything is stored; audited without
/// user names or passwords. The watcher reconnects with the new settings.
/// </summary>
internal sealed class UpdateEmailSettings(InboxEdits edits, EmailSecrets secrets)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/email", async Task<Results<Ok<EmailSettingsDto>, ProblemHttpResult>> (Guid id, EmailSettingsRequest request, HttpContext http, UpdateEmailSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct) is var (settings, error) && error is null
                    ? TypedResults.Ok(settings!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("UpdateEmailSettings")
            .WithTags("Inboxes");

    public async Task<(EmailSettingsDto? Settings, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, EmailSettingsRequest? request, CancellationToken cancellationToken)
    {
        EmailSettings? stored = null;
        var (_, error) = await edits.ApplyAsync(caller, inboxId, "", inbox =>
        {
            if (inbox.Channel != ChannelType.Email)
            {
                return (null, InboxErrors.InboxNotFound); // a widget inbox has no mail settings to change
            }

            var (settings, invalid) = EmailSettingsRules.Build(request, EmailSettings.Read(inbox), secrets);
            if (settings is null)
            {
                return (null, invalid);
            }

            inbox.ChannelSettings = settings.Write();
            stored = settings;
            return (EmailSettingsRules.Detail(settings, request!), null);
        }, cancellationToken);
        return error is null ? (stored!.ToDto(), null) : (null, error);
    }
}
