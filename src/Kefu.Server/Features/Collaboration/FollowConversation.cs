using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// <c>POST</c> and <c>DELETE /api/v1/conversations/{id}/follow</c>: the caller starts or stops following a conversation
/// they can see. Both are idempotent; both answer with the state after the call.
/// </summary>
internal sealed class FollowConversation(IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, TimeProvider time)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/conversations/{id:guid}/follow", async Task<Results<Ok<FollowDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, FollowConversation handler, CancellationToken ct) =>
            {
                var (state, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, follow: true, ct);
                return error is null ? TypedResults.Ok(state!) : KefuProblems.Problem(error);
            })
            .WithName("FollowConversation")
            .WithTags("Collaboration");
        api.MapDelete("/conversations/{id:guid}/follow", async Task<Results<Ok<FollowDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, FollowConversation handler, CancellationToken ct) =>
            {
                var (state, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, follow: false, ct);
                return error is null ? TypedResults.Ok(state!) : KefuProblems.Problem(error);
            })
            .WithName("UnfollowConversation")
            .WithTags("Collaboration");
    }

    public async Task<(FollowDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, bool follow, CancellationToken cancellationToken)
    {
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.ConversationFollowers.Where(f => f.ConversationId == conversationId && f.AgentId == agent.UserId);
        if (!follow)
        {
            await mine.ExecuteDeleteAsync(cancellationToken);
        }
        else if (await mine.ExecuteUpdateAsync(s => s.SetProperty(f => f.AsAssignee, false), cancellationToken) == 0)
        {
            // Not following yet (an assignee who follows by hand keeps following once it moves on: the update above).
            db.ConversationFollowers.Add(new ConversationFollower
            {
                ConversationId = conversationId, AgentId = agent.UserId, TenantId = agent.TenantId, CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A double click raced this one to the same row: following either way.
            }
        }

        return (await StateAsync(db, agent, conversationId, cancellationToken), null);
    }

    /// <summary>The caller's state, for the console's header (it checked access when it opened the conversation).</summary>
    public async Task<(FollowDto?, KefuError?)> GetAsync(AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await StateAsync(db, agent, conversationId, cancellationToken), null);
    }

    private static async Task<FollowDto> StateAsync(KefuDbContext db, AgentIdentity agent, Guid conversationId, CancellationToken cancellationToken)
    {
        var followers = await db.ConversationFollowers.AsNoTracking().Where(f => f.ConversationId == conversationId && f.TenantId == agent.TenantId)
            .Select(f => f.AgentId).ToListAsync(cancellationToken);
        return new FollowDto(followers.Contains(agent.UserId), followers.Count);
    }
}
