using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Channels.Inboxes;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary><c>GET /api/v1/inboxes/{id}/email</c> (settings permission): an e-mail inbox's settings, without its passwords.</summary>
internal sealed class GetEmailSettings(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/inboxes/{id:guid}/email", async Task<Results<Ok<EmailSettingsDto>, ProblemHttpResult>> (Guid id, HttpContext http, GetEmailSettings handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is var (settings, error) && error is null
                    ? TypedResults.Ok(settings!) : KefuProblems.Problem(error))
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("GetEmailSettings")
            .WithTags("Inboxes");

    public async Task<(EmailSettingsDto? Settings, KefuError? Error)> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await db.Inboxes.AsNoTracking()
            .FirstOrDefaultAsync(i => i.Id == inboxId && i.TenantId == caller.TenantId && i.ArchivedAt == null && i.Channel == ChannelType.Email, cancellationToken);
        return inbox is null || EmailSettings.Read(inbox) is not { } settings ? (null, InboxErrors.InboxNotFound) : (settings.ToDto(), null);
    }
}
