using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// <c>PUT /api/v1/inboxes/{id}/bot</c> (admins): turns the bot on or off for an inbox. Applies to new
/// conversations; conversations the bot already holds keep it until they are handed off.
/// </summary>
internal sealed class SetInboxBot(IDbContextFactory<KefuDbContext> dbFactory, IInboxDirectory inboxes, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/inboxes/{id:guid}/bot", async Task<Results<NoContent, NotFound>> (Guid id, InboxBotRequest request, HttpContext http, SetInboxBot handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, request.Enabled, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("SetInboxBot")
            .WithTags("Bot")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<bool> HandleAsync(Guid tenantId, Guid inboxId, bool enabled, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.TenantId == tenantId, cancellationToken);
        if (inbox is null)
        {
            return false;
        }

        inbox.BotEnabled = enabled;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inboxId.ToString(), "bot.enabled=" + (enabled ? "true" : "false"))
        {
            TenantId = tenantId,
        });
        await db.SaveChangesAsync(cancellationToken);
        inboxes.Forget(inbox);
        return true;
    }
}
