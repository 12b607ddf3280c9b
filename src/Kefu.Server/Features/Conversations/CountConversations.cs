using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>
/// <c>GET /api/v1/conversations/counts</c>: how many open conversations each view holds for the caller, within their
/// scope and inboxes; null for views their role does not allow (the console hides those tabs).
/// </summary>
internal sealed class CountConversations(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl accessControl)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/counts", async Task<Ok<ConversationCounts>> (HttpContext http, CountConversations handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!, ct)))
            .WithName("CountConversations")
            .WithTags("Conversations");

    public async Task<ConversationCounts> HandleAsync(AgentIdentity agent, CancellationToken cancellationToken)
    {
        var workspace = await accessControl.GetWorkspaceAsync(agent.TenantId, agent.UserId, cancellationToken);
        if (workspace.For(agent) is not { } access)
        {
            return new ConversationCounts(null, null, null, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var open = db.Conversations.AsNoTracking().Where(c => c.TenantId == agent.TenantId)
            .Scoped(access, workspace).WithStatus(ConversationFilter.Open);

        async Task<int?> Count(AssigneeView view) =>
            access.Allows(view) ? await open.InView(view, access, workspace).CountAsync(cancellationToken) : null;

        return new ConversationCounts(
            await Count(AssigneeView.Mine), await Count(AssigneeView.Unassigned), await Count(AssigneeView.Team), await Count(AssigneeView.All));
    }
}
