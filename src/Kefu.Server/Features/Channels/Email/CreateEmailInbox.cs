using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>
/// <c>POST /api/v1/inboxes/email</c> (settings permission): a new e-mail inbox with its mail servers. Checked whole
/// first; its watcher starts within <see cref="EmailOptions.ReconcileSeconds"/>.
/// </summary>
internal sealed class CreateEmailInbox(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, EmailSecrets secrets, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/inboxes/email", async Task<Results<Created<InboxDto>, ProblemHttpResult>> (CreateEmailInboxRequest request, HttpContext http, CreateEmailInbox handler, CancellationToken ct) =>
            {
                var (inbox, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, InboxHttp.BaseUrl(http.Request), ct);
                return error is null ? TypedResults.Created($"/api/v1/inboxes/{inbox!.Id}", inbox) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("CreateEmailInbox")
            .WithTags("Inboxes");

    public async Task<(InboxDto? Inbox, KefuError? Error)> HandleAsync(AgentIdentity caller, CreateEmailInboxRequest? request, string baseUrl, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        var (name, nameError) = InboxRules.Name(request?.Name);
        if (nameError is not null)
        {
            return (null, nameError);
        }

        var (settings, error) = EmailSettingsRules.Build(request!.Settings, null, secrets);
        if (settings is null)
        {
            return (null, error);
        }

        var ticks = time.GetUtcNow().UtcDateTime.Ticks;
        var now = new DateTime(ticks - ticks % 10, DateTimeKind.Utc); // whole microseconds, as PostgreSQL keeps them
        var inbox = new Inbox { Id = Guid.CreateVersion7(now), TenantId = caller.TenantId, Name = name!, Channel = ChannelType.Email, ChannelSettings = settings.Write(), CreatedAt = now };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Inboxes.Add(inbox);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inbox.Id.ToString(), $"created channel=Email {EmailSettingsRules.Detail(settings, request.Settings!)}").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        return (InboxDto.From(inbox, baseUrl), null);
    }
}
