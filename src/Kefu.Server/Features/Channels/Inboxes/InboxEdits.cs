using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Inboxes;

/// <summary>
/// The steps every inbox setting shares: the settings permission (asked afresh, so the console's direct calls are
/// checked like the API's), the inbox of the caller's workspace (another's is "not found"), the change with its
/// validation, the audit entry in the same transaction, and the hot-path cache dropped after commit. A change whose
/// validation fails saves nothing.
/// </summary>
internal sealed class InboxEdits(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit, InboxDirectory directory)
{
    public async Task<(InboxDto? Inbox, KefuError? Error)> ApplyAsync(
        AgentIdentity caller, Guid inboxId, string baseUrl, Func<Inbox, (string? Detail, KefuError? Error)> change, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return (null, InboxErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inbox = await FindAsync(db, caller.TenantId, inboxId, cancellationToken);
        if (inbox is null)
        {
            return (null, InboxErrors.InboxNotFound);
        }

        var oldKey = inbox.WidgetKey;
        var (detail, error) = change(inbox);
        if (error is not null)
        {
            return (null, error);
        }

        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "inbox", inbox.Id.ToString(), detail).By(caller));
        await db.SaveChangesAsync(cancellationToken);
        Forget(inbox, oldKey);
        return (InboxDto.From(inbox, baseUrl), null);
    }

    /// <summary>The caller may read and change inbox settings.</summary>
    public ValueTask<bool> AllowedAsync(AgentIdentity caller, CancellationToken cancellationToken) =>
        access.AllowsAsync(caller, Permission.Settings, cancellationToken);

    /// <summary>A live (not deleted) inbox of the workspace, tracked.</summary>
    public static Task<Inbox?> FindAsync(KefuDbContext db, Guid tenantId, Guid inboxId, CancellationToken cancellationToken) =>
        db.Inboxes.FirstOrDefaultAsync(i => i.Id == inboxId && i.TenantId == tenantId && i.ArchivedAt == null, cancellationToken);

    /// <summary>Drops the cached inbox under its id, its current key and the key it had before the change.</summary>
    public void Forget(Inbox inbox, string? oldKey)
    {
        directory.Forget(inbox);
        if (oldKey is not null && oldKey != inbox.WidgetKey)
        {
            directory.ForgetKey(oldKey);
        }
    }
}

/// <summary>Helpers for the inbox endpoints.</summary>
internal static class InboxHttp
{
    /// <summary>Kefu's address as the caller reached it (after trusted proxies): the snippet's script source.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static Results<Ok<InboxDto>, ProblemHttpResult> Result((InboxDto? Inbox, KefuError? Error) result) =>
        result.Error is null ? TypedResults.Ok(result.Inbox!) : KefuProblems.Problem(result.Error);
}
