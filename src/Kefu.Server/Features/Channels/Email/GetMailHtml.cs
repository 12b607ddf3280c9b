using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Channels.Email;

/// <summary>A received mail's HTML body, after the allowlist sanitiser.</summary>
/// <param name="Html">The sanitised HTML: show it only in a sandboxed frame, with remote images blocked until asked for.</param>
public sealed record MailHtmlDto(string Html);

/// <summary>
/// <c>GET /api/v1/conversations/{id}/mail/{mailId}/html</c>: the sanitised HTML of one received mail, for the agents
/// who may read the conversation (the console shows it in a sandboxed frame). Another workspace's mail is not found.
/// </summary>
internal sealed class GetMailHtml(IDbContextFactory<KefuDbContext> dbFactory, IConversationDirectory directory, IConversationAccess access)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/mail/{mailId:guid}/html", async Task<Results<Ok<MailHtmlDto>, ProblemHttpResult>> (
                Guid id, Guid mailId, HttpContext http, GetMailHtml handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, mailId, ct) is var (html, error) && error is null
                    ? TypedResults.Ok(html!) : KefuProblems.Problem(error))
            .RequireAuthorization()
            .WithName("GetMailHtml")
            .WithTags("Conversations");

    public async Task<(MailHtmlDto? Html, KefuError? Error)> HandleAsync(AgentIdentity agent, Guid conversationId, Guid mailId, CancellationToken cancellationToken)
    {
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
        var html = await db.Set<EmailRecord>().AsNoTracking().Where(r => r.Id == mailId && r.ConversationId == conversationId && r.TenantId == agent.TenantId)
            .Select(r => r.Html).FirstOrDefaultAsync(cancellationToken);
        return html is null ? (null, ConversationErrors.ConversationNotFound) : (new MailHtmlDto(html), null);
    }
}
