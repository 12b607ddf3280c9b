using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Invitations;

/// <summary>A visitor browsing now.</summary>
/// <param name="ContactId">The visitor's contact (what <c>invite</c> names).</param>
/// <param name="Name">The contact's name.</param>
/// <param name="InboxId">The widget inbox they browse with.</param>
/// <param name="InboxName">Its name.</param>
/// <param name="Url">The page they are on.</param>
/// <param name="PagesThisVisit">Pages opened in this visit.</param>
/// <param name="SecondsOnPage">Seconds on the current page.</param>
/// <param name="SecondsOnSite">Seconds since the visit began.</param>
public sealed record OnlineVisitorDto(Guid ContactId, string Name, Guid InboxId, string InboxName, string Url, int PagesThisVisit, int SecondsOnPage, int SecondsOnSite);

/// <summary><c>GET /api/v1/visitors/online</c>: visitors browsing now in the agent's inboxes, with their page and time on site.</summary>
internal sealed class ListOnlineVisitors(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, OnlineVisitors online, TimeProvider time)
{
    /// <summary>The most visitors one answer lists.</summary>
    public const int MaxListed = 200;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/visitors/online", async Task<Results<Ok<IReadOnlyList<OnlineVisitorDto>>, ProblemHttpResult>> (HttpContext http, ListOnlineVisitors handler, CancellationToken ct) =>
            {
                var (list, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, ct);
                return error is null ? TypedResults.Ok(list!) : KefuProblems.Problem(error);
            })
            .RequireAuthorization(AccessPolicies.For(Permission.ConversationsAssigned))
            .WithName("ListOnlineVisitors")
            .WithTags("Invitations");

    public async Task<(IReadOnlyList<OnlineVisitorDto>?, KefuError?)> HandleAsync(AgentIdentity agent, CancellationToken cancellationToken)
    {
        if (await access.ForAsync(agent, cancellationToken) is not { } me)
        {
            return (null, InvitationErrors.Forbidden);
        }

        // Bounded: the page refreshes every 10 s per agent, and a busy shop can have thousands browsing; the longest on the
        // site come first.
        var visitors = online.Online(agent.TenantId).Where(p => me.MayUseInbox(p.InboxId)).Take(MaxListed).ToList();
        if (visitors.Count == 0)
        {
            return ([], null);
        }

        var contactIds = visitors.Select(p => p.ContactId).ToList();
        var inboxIds = visitors.Select(p => p.InboxId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id) && c.TenantId == agent.TenantId && c.MergedIntoId == null)
            .ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var inboxes = await db.Inboxes.AsNoTracking().Where(i => inboxIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        // An erased or merged contact's presence lingers until its widget stops checking in: it is left out, not shown nameless.
        return (visitors.Where(p => names.ContainsKey(p.ContactId)).Select(p => new OnlineVisitorDto(p.ContactId, names[p.ContactId], p.InboxId, inboxes.GetValueOrDefault(p.InboxId, ""),
            p.Url, p.Pages, (int)(now - p.PageSince).TotalSeconds, (int)(now - p.VisitStartedAt).TotalSeconds)).ToList(), null);
    }
}
