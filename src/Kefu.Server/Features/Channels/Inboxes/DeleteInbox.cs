using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// <c>DELETE /api/v1/inboxes/{id}</c> (settings permission). Refused (409 <c>inbox_has_open_conversations</c>) while
/// any of its conversations is not resolved: visitors would be left talking to nobody. Otherwise the inbox is archived,
/// not erased: its widget key and origins are withdrawn (the widget stops loading everywhere), its bot is off, and it
/// leaves the inbox list and the API; its resolved conversations keep their history, reachable as before and
/// subject to the inbox's retention.
/// </summary>
internal sealed class DeleteInbox(IDbContextFactory<KefuDbContext> dbFactory, InboxEdits edits, IAuditLog audit, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/inboxes/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteInbox handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("DeleteInbox")
            .WithTags("Inboxes");

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid inboxId, CancellationToken cancellationToken)
    {
        if (!await edits.AllowedAsync(caller, cancellationToken))
        {
            return InboxErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inbox = await InboxEdits.FindAsync(db, caller.TenantId, inboxId, cancellationToken);
        if (inbox is null)
        {
            return InboxErrors.InboxNotFound;
        }

        if (await db.Conversations.AnyAsync(c => c.InboxId == inboxId && c.Status != ConversationStatus.Resolved, cancellationToken))
        {
            return InboxErrors.HasOpenConversations;
        }

        var oldKey = inbox.WidgetKey;
        inbox.ArchivedAt = time.GetUtcNow().UtcDateTime;
        inbox.WidgetKey = null;
        inbox.AllowedOrigins = "";
        inbox.BotEnabled = false;
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inbox.Id.ToString(), "deleted").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        edits.Forget(inbox, oldKey);
        return null;
    }
}
