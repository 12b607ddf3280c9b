using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>One mail of a conversation, without its body.</summary>
/// <param name="Id">The mail record's id.</param>
/// <param name="MessageId">The conversation message it became or came from (null for auto-replies).</param>
/// <param name="Direction">Inbound, Reply or AutoReply.</param>
/// <param name="Subject">The subject.</param>
/// <param name="HasHtml">An HTML body is stored (sanitised), shown by the console in a sandboxed frame.</param>
/// <param name="Automatic">Sent by a machine; never auto-answered.</param>
/// <param name="ThreadVerified">Inbound: it carried a valid reply token of a conversation its sender owns.</param>
/// <param name="BouncedAt">Outbound: when a bounce said it was not delivered.</param>
/// <param name="BounceStatus">The bounce's status code.</param>
/// <param name="Refused">Outbound: why it was not sent (<c>unsafe_header</c>).</param>
/// <param name="CreatedAt">When it was received or sent (UTC).</param>
public sealed record ConversationMailDto(Guid Id, Guid? MessageId, EmailDirection Direction, string Subject, bool HasHtml, bool Automatic,
    bool ThreadVerified, DateTime? BouncedAt, string? BounceStatus, string? Refused, DateTime CreatedAt);

/// <summary>A page of a conversation's mail, oldest first.</summary>
/// <param name="Items">The mail.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null at the end.</param>
public sealed record ConversationMailPage(IReadOnlyList<ConversationMailDto> Items, string? NextCursor);

/// <summary>
/// <c>GET /api/v1/conversations/{id}/mail</c>: the mail behind a conversation's messages (bounces, automatic mail,
/// refused replies), for the agents who may read the conversation. Another workspace's conversation is not found.
/// </summary>
internal sealed class ListConversationMail(IDbContextFactory<KefuDbContext> dbFactory, IConversationDirectory directory, IConversationAccess access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/mail", async Task<Results<Ok<ConversationMailPage>, ProblemHttpResult>> (
                Guid id, string? cursor, int? pageSize, HttpContext http, ListConversationMail handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, cursor, pageSize ?? Paging.DefaultPageSize, ct) is var (page, error) && error is null
                    ? TypedResults.Ok(page!) : KefuProblems.Problem(error))
            .RequireAuthorization()
            .WithName("ListConversationMail")
            .WithTags("Conversations");

    public async Task<(ConversationMailPage? Page, KefuError? Error)> HandleAsync(
        AgentIdentity agent, Guid conversationId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(pageSize) is { } badSize)
        {
            return (null, badSize);
        }

        if (!Paging.TryReadCursor(cursor, out var after))
        {
            return (null, Paging.InvalidCursor);
        }

        var owner = await directory.FindAsync(conversationId, cancellationToken);
        if (owner is null || owner.TenantId != agent.TenantId)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } hidden)
        {
            return (null, hidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<EmailRecord>().AsNoTracking().Where(r => r.ConversationId == conversationId && r.TenantId == agent.TenantId);
        if (after is var (at, id))
        {
            query = query.Where(r => r.CreatedAt > at || (r.CreatedAt == at && r.Id.CompareTo(id) > 0));
        }

        var rows = await query.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(pageSize + 1)
            .Select(r => new ConversationMailDto(r.Id, r.MessageId, r.Direction, r.Subject, r.Html != null, r.Automatic, r.ThreadVerified,
                r.BouncedAt, r.BounceStatus, r.Refused, r.CreatedAt))
            .ToListAsync(cancellationToken);
        var next = rows.Count > pageSize ? Paging.Cursor(rows[pageSize - 1].CreatedAt, rows[pageSize - 1].Id) : null;
        return (new ConversationMailPage([.. rows.Take(pageSize)], next), null);
    }
}
