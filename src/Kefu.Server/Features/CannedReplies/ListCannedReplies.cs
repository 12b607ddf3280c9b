using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// <c>GET /api/v1/canned-replies?q=&amp;scope=&amp;category=</c> (any agent): the replies the caller sees, the ones
/// they insert most often first, then the workspace's most used, then by title.
/// </summary>
internal sealed class ListCannedReplies(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IWorkspaceFiles workspaceFiles)
{
    public const int MaxReplies = 5000;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/canned-replies", async Task<Results<Ok<IReadOnlyList<CannedReplyDto>>, ValidationProblem>> (
                HttpContext http, ListCannedReplies handler, CancellationToken ct, string? q = null, string? scope = null, string? category = null) =>
            {
                CannedReplyScope? wanted = null;
                if (scope is not null)
                {
                    if (!Enum.TryParse<CannedReplyScope>(scope, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                    {
                        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["scope"] = ["scope must be personal, team or shared."] });
                    }

                    wanted = parsed;
                }

                return TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!, q, wanted, category, ct));
            })
            .WithName("ListCannedReplies")
            .WithTags("CannedReplies");

    /// <summary>
    /// A workspace has at most a few thousand replies: they are filtered in memory, so the search ignores case the
    /// same way on SQLite and PostgreSQL.
    /// </summary>
    public async Task<IReadOnlyList<CannedReplyDto>> HandleAsync(
        AgentIdentity caller, string? query, CannedReplyScope? scope, string? category, CancellationToken cancellationToken)
    {
        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var replies = await viewer.Visible(db.CannedReplies.AsNoTracking()).Take(MaxReplies).ToListAsync(cancellationToken);
        var ids = replies.Select(r => r.Id).ToList();
        var mine = await db.CannedReplyUsage.AsNoTracking().Where(u => u.AgentId == caller.UserId && ids.Contains(u.ReplyId))
            .ToDictionaryAsync(u => u.ReplyId, u => u.Count, cancellationToken);
        var q = (query ?? "").Trim().TrimStart('/');
        var files = await workspaceFiles.DescribeAsync(caller.TenantId, [.. replies.SelectMany(CannedReplyRules.AttachmentIds)], cancellationToken);
        return replies
            .Where(r => scope is null || r.Scope == scope)
            .Where(r => string.IsNullOrWhiteSpace(category) || string.Equals(r.Category, category.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(r => q.Length == 0 || Matches(r, q))
            .Select(r => viewer.ToDto(r, mine.GetValueOrDefault(r.Id), files))
            .OrderByDescending(r => r.MyUsageCount).ThenByDescending(r => r.UsageCount).ThenBy(r => r.Title, StringComparer.CurrentCulture)
            .ToList();
    }

    private static bool Matches(CannedReply r, string q) =>
        r.Shortcut.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        r.Title.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        r.Category.Contains(q, StringComparison.OrdinalIgnoreCase) ||
        (r.TextZh?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false) ||
        (r.TextEn?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);
}
