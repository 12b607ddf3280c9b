using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Notifications;

/// <summary>Which of the caller's lines to mark read: give exactly one of the three.</summary>
/// <param name="Ids">These lines (at most 200); every one must be the caller's, or nothing is marked.</param>
/// <param name="All">Every line of the caller.</param>
/// <param name="ConversationId">Every line of the caller about this conversation (the console, when it opens one).</param>
public sealed record MarkNotificationsReadRequest(IReadOnlyList<Guid>? Ids, bool? All, Guid? ConversationId);

/// <summary>How many lines were unread and are read now.</summary>
/// <param name="Marked">Lines that changed.</param>
/// <param name="Unread">The caller's unread lines left.</param>
public sealed record MarkNotificationsReadResult(int Marked, int Unread);

/// <summary>
/// <c>POST /api/v1/notifications/read</c>: the caller reads some of their own lines, or all. An id that is not the
/// caller's (another agent's, another workspace's, or none) is 404 and nothing is marked. The caller's consoles on
/// every device hear of it, so their counts agree.
/// </summary>
internal sealed class MarkNotificationsRead(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IMessageFanout fanout, TimeProvider time)
{
    public const int MaxIds = 200;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/notifications/read", async Task<Results<Ok<MarkNotificationsReadResult>, ProblemHttpResult>> (
                MarkNotificationsReadRequest request, HttpContext http, MarkNotificationsRead handler, CancellationToken ct) =>
            {
                var (result, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, request, ct);
                return error is null ? TypedResults.Ok(result!) : KefuProblems.Problem(error);
            })
            .WithName("MarkNotificationsRead")
            .WithTags("Notifications");

    public async Task<(MarkNotificationsReadResult?, KefuError?)> HandleAsync(AgentIdentity caller, MarkNotificationsReadRequest request, CancellationToken cancellationToken)
    {
        var ids = request.Ids?.Distinct().ToList();
        var given = (ids is not null ? 1 : 0) + (request.All == true ? 1 : 0) + (request.ConversationId is not null ? 1 : 0);
        if (given != 1 || ids is { Count: 0 or > MaxIds })
        {
            return (null, NotificationErrors.Invalid("ids", $"give ids (1 to {MaxIds}), all: true, or a conversationId."));
        }

        if (await access.ForAsync(caller, cancellationToken) is null)
        {
            return (null, NotificationErrors.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.Notifications.Where(n => n.AgentId == caller.UserId && n.TenantId == caller.TenantId);
        if (ids is not null && await mine.CountAsync(n => ids.Contains(n.Id), cancellationToken) != ids.Count)
        {
            return (null, NotificationErrors.NotificationNotFound);
        }

        var target = ids is not null ? mine.Where(n => ids.Contains(n.Id))
            : request.ConversationId is { } conversation ? mine.Where(n => n.ConversationId == conversation)
            : mine;
        var now = time.GetUtcNow().UtcDateTime;
        var marked = await target.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        if (marked > 0)
        {
            fanout.NotificationsChanged(caller.TenantId, caller.UserId);
        }

        return (new MarkNotificationsReadResult(marked, unread), null);
    }
}
