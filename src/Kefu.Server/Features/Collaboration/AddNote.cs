using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Search.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Kefu.Server.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>
/// <c>POST /api/v1/conversations/{id}/notes</c>: anyone who can see a conversation writes a private note in it (as in
/// Chatwoot and Zendesk, the assignee is not the only one who may). Mentions are resolved to ids first: an unknown
/// name, or a colleague who cannot see the conversation, is a 400 and nothing is stored. The note, the mentioned
/// agents' following and <see cref="NoteCreated"/> commit together; the bell lines come from the event lane.
/// </summary>
internal sealed partial class AddNote(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, MentionResolver mentions, NoteReader notes,
    INoteSearchIndex search, IMessageFanout fanout, TimeProvider time, ILogger<AddNote> logger)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/conversations/{id:guid}/notes", async Task<Results<Created<NoteDto>, ProblemHttpResult>> (
                Guid id, NoteRequest request, HttpContext http, AddNote handler, CancellationToken ct) =>
            {
                var (note, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, request, ct);
                return error is null ? TypedResults.Created($"/api/v1/conversations/{id}/notes", note!) : KefuProblems.Problem(error);
            })
            .WithName("AddNote")
            .WithTags("Collaboration");

    public async Task<(NoteDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid conversationId, NoteRequest request, CancellationToken cancellationToken)
    {
        // Visibility first: someone who may not see the conversation learns nothing, not even that the text was wrong.
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var text = request.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            return (null, CollaborationErrors.NoteEmpty);
        }

        if (text.Length > MessageRules.MaxTextLength)
        {
            return (null, CollaborationErrors.NoteTooLong);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId && c.TenantId == agent.TenantId)
            .Select(c => new { c.InboxId, c.AssigneeId, c.LastSeq }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null)
        {
            return (null, ConversationErrors.ConversationNotFound);
        }

        var (resolved, invalid) = await mentions.ResolveAsync(db, agent, text, conversation.InboxId, conversation.AssigneeId, cancellationToken);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var note = new ConversationNote
        {
            Id = Guid.CreateVersion7(), TenantId = agent.TenantId, ConversationId = conversationId, AuthorId = agent.UserId,
            Text = text, Mentions = resolved!.Stored, CreatedAt = now,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Notes.Add(note);
            await search.StageAsync(db, agent.TenantId, note.Id, conversationId, conversation.LastSeq, now, text, cancellationToken);

            // The mentioned follow the conversation from now on: they were asked in, so they hear how it goes on.
            var following = await db.ConversationFollowers.Where(f => f.ConversationId == conversationId).Select(f => f.AgentId).ToListAsync(cancellationToken);
            foreach (var mentioned in resolved.Agents.Except(following))
            {
                db.ConversationFollowers.Add(new ConversationFollower { ConversationId = conversationId, AgentId = mentioned, TenantId = agent.TenantId, CreatedAt = now });
            }

            ConversationJournal.Append(db, new NoteCreated(note.Id, string.Join(' ', resolved.Agents.Select(a => a.ToString("D"))))
            {
                TenantId = agent.TenantId, ConversationId = conversationId, Actor = Actor.Agent(agent.UserId), OccurredAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogAdded(logger, note.Id, conversationId, agent.UserId, resolved.Agents.Count);
        fanout.NotesChanged(agent.TenantId, conversationId);
        return (await notes.FindAsync(db, agent.TenantId, note.Id, cancellationToken), null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Note {NoteId} added to conversation {ConversationId} by agent {AgentId}, mentioning {Mentioned} agents")]
    private static partial void LogAdded(ILogger logger, Guid noteId, Guid conversationId, Guid agentId, int mentioned);
}
