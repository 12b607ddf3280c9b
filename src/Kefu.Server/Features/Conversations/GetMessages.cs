using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>Messages after a Seq: the history on open and the resync after a reconnect.</summary>
internal sealed class GetMessages(IDbContextFactory<KefuDbContext> dbFactory, ConversationDirectory directory, ConversationAccess access, ConversationMapper mapper)
{
    public const int MaxLimit = 500;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/messages", async Task<Results<Ok<MessagePage>, ProblemHttpResult>> (
                Guid id, HttpContext http, GetMessages handler, CancellationToken ct, long afterSeq = 0, int limit = 100) =>
            {
                var (page, error) = await handler.ForAgentAsync(AgentIdentity.From(http.User)!, id, afterSeq, limit, ct);
                return error is null ? TypedResults.Ok(page) : KefuProblems.Problem(error);
            })
            .WithName("GetMessages")
            .WithTags("Conversations");

    public async Task<(MessagePage?, KefuError?)> ForVisitorAsync(VisitorIdentity visitor, Guid conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        return await directory.FindForVisitorAsync(visitor, conversationId, cancellationToken) is null
            ? (null, ConversationErrors.ConversationNotFound)
            : await LoadAsync(conversationId, afterSeq, limit, cancellationToken);
    }

    public async Task<(MessagePage?, KefuError?)> ForAgentAsync(AgentIdentity agent, Guid conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var owner = await directory.FindAsync(conversationId, cancellationToken);
        if (owner is null || owner.TenantId != agent.TenantId)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        return await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } hidden
            ? (null, hidden)
            : await LoadAsync(conversationId, afterSeq, limit, cancellationToken);
    }

    private async Task<(MessagePage?, KefuError?)> LoadAsync(Guid conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        if (afterSeq < 0 || limit is < 1 or > MaxLimit)
        {
            return (null, KefuError.InvalidRange);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from m in db.Messages.AsNoTracking()
                where m.ConversationId == conversationId && m.Seq > afterSeq
                orderby m.Seq
                join a in db.Attachments.AsNoTracking() on m.AttachmentId equals a.Id into attachments
                from a in attachments.DefaultIfEmpty()
                select new { Message = m, Attachment = a })
            .Take(limit + 1)
            .ToListAsync(cancellationToken);

        var messages = rows.Take(limit).Select(r => mapper.ToDto(r.Message, r.Attachment)).ToList();
        return (new MessagePage(messages, rows.Count > limit), null);
    }
}
