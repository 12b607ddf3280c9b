using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.CannedReplies.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Knowledge.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.CannedReplies;

/// <summary>
/// <c>POST /api/v1/canned-replies/{id}/use</c>: the reply's text filled in for a conversation the caller sees, in
/// the conversation's language when the reply has it, and one more use counted. Nothing is sent: the agent edits
/// the text in the composer and sends it like anything they type.
/// </summary>
internal sealed class UseCannedReply(
    IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IConversationAccess conversations, IWorkspaceFiles workspaceFiles, TimeProvider time)
    : ICannedReplyFiller
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/canned-replies/{id:guid}/use", async Task<Results<Ok<FilledCannedReply>, ProblemHttpResult>> (
                Guid id, UseCannedReplyRequest request, HttpContext http, UseCannedReply handler, CancellationToken ct) =>
            {
                var (filled, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Ok(filled!) : KefuProblems.Problem(error);
            })
            .WithName("UseCannedReply")
            .WithTags("CannedReplies");

    public Task<(FilledCannedReply? Reply, KefuError? Error)> FillAsync(AgentIdentity caller, Guid replyId, Guid conversationId, CancellationToken cancellationToken) =>
        // A rule sends the text only: its files would be copies nobody sends (a rule is not an agent who uploads).
        HandleAsync(caller, replyId, new UseCannedReplyRequest(conversationId), cancellationToken, withFiles: false);

    public async Task<bool> ExistsAsync(Guid tenantId, Guid replyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CannedReplies.AnyAsync(r => r.Id == replyId && r.TenantId == tenantId && r.Scope != CannedReplyScope.Personal, cancellationToken);
    }

    /// <param name="withFiles">Copy the reply's files as the caller's uploads, for the composer to send.</param>
    public async Task<(FilledCannedReply?, KefuError?)> HandleAsync(
        AgentIdentity caller, Guid id, UseCannedReplyRequest request, CancellationToken cancellationToken, bool withFiles = true)
    {
        if (request.ConversationId is not { } conversationId)
        {
            return (null, CannedReplyRules.ConversationRequired);
        }

        if (await CannedReplyViewer.ForAsync(access, caller, cancellationToken) is not { } viewer)
        {
            return (null, CannedReplyRules.NotFound);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var reply = await viewer.Visible(db.CannedReplies.AsNoTracking()).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (reply is null)
        {
            return (null, CannedReplyRules.NotFound);
        }

        if (await conversations.CheckReadAsync(caller, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var facts = await (
            from c in db.Conversations.AsNoTracking()
            where c.Id == conversationId && c.TenantId == caller.TenantId
            join contact in db.Contacts on c.ContactId equals contact.Id
            join inbox in db.Inboxes on c.InboxId equals inbox.Id
            select new { contact.Name, contact.Email, Inbox = inbox.Name }).FirstOrDefaultAsync(cancellationToken);
        if (facts is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        var language = await LanguageAsync(db, conversationId, cancellationToken);
        var (text, used) = language == "zh-CN" ? (reply.TextZh ?? reply.TextEn!, reply.TextZh is null ? "en" : "zh-CN")
            : (reply.TextEn ?? reply.TextZh!, reply.TextEn is null ? "zh-CN" : "en");
        var filled = CannedReplyTemplate.Fill(text, new TemplateValues(facts.Name, facts.Email, caller.DisplayName, conversationId.ToString(), facts.Inbox));
        await CountAsync(db, reply.Id, caller.UserId, cancellationToken);
        // Copies the caller may send (the writer sends only the sender's own uploads); unsent ones are like any upload never sent.
        var files = withFiles ? await workspaceFiles.CopyForAgentAsync(caller.TenantId, caller.UserId, CannedReplyRules.AttachmentIds(reply), cancellationToken) : [];
        return (new FilledCannedReply(reply.Id, filled.Text, used, filled.Unfilled, files), null);
    }

    /// <summary>
    /// The language the visitor writes in: their latest message with Chinese characters or Latin letters decides
    /// ("ok" is English, "好的" Chinese, "123" neither). With none yet, Chinese, the product's first language.
    /// </summary>
    private static async Task<string> LanguageAsync(KefuDbContext db, Guid conversationId, CancellationToken cancellationToken)
    {
        var recent = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.SenderType == SenderType.Visitor)
            .OrderByDescending(m => m.Seq).Take(5).Select(m => m.Text).ToListAsync(cancellationToken);
        foreach (var text in recent)
        {
            if (ArticleRules.DetectLanguage(text) == "zh-CN")
            {
                return "zh-CN";
            }

            if (text.Any(char.IsAsciiLetter))
            {
                return "en";
            }
        }

        return "zh-CN";
    }

    /// <summary>One more use, for the workspace and for the agent: increments in the database, so two agents' uses both count.</summary>
    private async Task CountAsync(KefuDbContext db, Guid replyId, Guid agentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.CannedReplies.Where(r => r.Id == replyId).ExecuteUpdateAsync(s => s.SetProperty(r => r.UsageCount, r => r.UsageCount + 1), cancellationToken);
        var updated = await db.CannedReplyUsage.Where(u => u.ReplyId == replyId && u.AgentId == agentId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Count, u => u.Count + 1).SetProperty(u => u.LastUsedAt, now), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        db.CannedReplyUsage.Add(new CannedReplyUsage { ReplyId = replyId, AgentId = agentId, Count = 1, LastUsedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same agent in two tabs inserted it at once and the other insert won: count this use on that row.
            db.ChangeTracker.Clear();
            await db.CannedReplyUsage.Where(u => u.ReplyId == replyId && u.AgentId == agentId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Count, u => u.Count + 1), cancellationToken);
        }
    }
}
