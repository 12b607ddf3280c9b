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
/// <c>PUT</c> and <c>DELETE /api/v1/conversations/{id}/notes/{noteId}</c>: the writer edits or deletes their own note.
/// A note of a conversation the caller cannot see, or of another workspace, is a 404; a colleague's note is a 403 (they
/// can read it, so its existence is no secret). An edit checks the text and its mentions as a new note does (nothing
/// stored on an error); someone mentioned for the first time by the edit is told and follows, as with a new note. The
/// note's search document changes in the same transaction, and the console's timeline reloads the notes.
/// </summary>
internal sealed partial class ChangeNote(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationAccess access, MentionResolver mentions, NoteReader notes,
    INoteSearchIndex search, IMessageFanout fanout, TimeProvider time, ILogger<ChangeNote> logger)
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/conversations/{id:guid}/notes/{noteId:guid}", async Task<Results<Ok<NoteDto>, ProblemHttpResult>> (
                Guid id, Guid noteId, NoteRequest request, HttpContext http, ChangeNote handler, CancellationToken ct) =>
            {
                var (note, error) = await handler.EditAsync(AgentIdentity.From(http.User)!, id, noteId, request, ct);
                return error is null ? TypedResults.Ok(note!) : KefuProblems.Problem(error);
            })
            .WithName("EditNote")
            .WithTags("Collaboration");

        api.MapDelete("/conversations/{id:guid}/notes/{noteId:guid}", async Task<Results<NoContent, ProblemHttpResult>> (
                Guid id, Guid noteId, HttpContext http, ChangeNote handler, CancellationToken ct) =>
            {
                var error = await handler.DeleteAsync(AgentIdentity.From(http.User)!, id, noteId, ct);
                return error is null ? TypedResults.NoContent() : KefuProblems.Problem(error);
            })
            .WithName("DeleteNote")
            .WithTags("Collaboration");
    }

    public async Task<(NoteDto?, KefuError?)> EditAsync(AgentIdentity agent, Guid conversationId, Guid noteId, NoteRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (note, denied) = await FindOwnAsync(db, agent, conversationId, noteId, cancellationToken);
        if (denied is not null)
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

        var conversation = await db.Conversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => new { c.InboxId, c.AssigneeId }).FirstAsync(cancellationToken);
        var (resolved, invalid) = await mentions.ResolveAsync(db, agent, text, conversation.InboxId, conversation.AssigneeId, cancellationToken);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var before = MentionResolver.Parse(note!.Mentions).Select(m => m.Id).ToHashSet();
        var added = resolved!.Agents.Where(a => !before.Contains(a)).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            note.Text = text;
            note.Mentions = resolved.Stored;
            await search.StageAsync(db, agent.TenantId, note.Id, conversationId, 0, note.CreatedAt, text, cancellationToken);
            if (added.Count > 0)
            {
                var following = await db.ConversationFollowers.Where(f => f.ConversationId == conversationId).Select(f => f.AgentId).ToListAsync(cancellationToken);
                foreach (var mentioned in added.Except(following))
                {
                    db.ConversationFollowers.Add(new ConversationFollower { ConversationId = conversationId, AgentId = mentioned, TenantId = agent.TenantId, CreatedAt = now });
                }

                // Only those the edit mentions for the first time: the others were told when they were first named.
                ConversationJournal.Append(db, new NoteCreated(note.Id, string.Join(' ', added.Select(a => a.ToString("D"))))
                {
                    TenantId = agent.TenantId, ConversationId = conversationId, Actor = Actor.Agent(agent.UserId), OccurredAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogEdited(logger, note.Id, conversationId, agent.UserId);
        fanout.NotesChanged(agent.TenantId, conversationId);
        return (await notes.FindAsync(db, agent.TenantId, note.Id, cancellationToken), null);
    }

    public async Task<KefuError?> DeleteAsync(AgentIdentity agent, Guid conversationId, Guid noteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (note, denied) = await FindOwnAsync(db, agent, conversationId, noteId, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Notes.Remove(note!);
            await search.RemoveAsync(db, note!.Id, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogDeleted(logger, noteId, conversationId, agent.UserId);
        fanout.NotesChanged(agent.TenantId, conversationId);
        return null;
    }

    private async Task<(ConversationNote?, KefuError?)> FindOwnAsync(
        KefuDbContext db, AgentIdentity agent, Guid conversationId, Guid noteId, CancellationToken cancellationToken)
    {
        // Visibility first: someone who may not see the conversation learns nothing about its notes.
        if (await access.CheckReadAsync(agent, conversationId, cancellationToken) is { } denied)
        {
            return (null, denied);
        }

        var note = await db.Notes.FirstOrDefaultAsync(n => n.Id == noteId && n.ConversationId == conversationId && n.TenantId == agent.TenantId, cancellationToken);
        return note is null ? (null, CollaborationErrors.NoteNotFound)
            : note.AuthorId != agent.UserId ? (null, CollaborationErrors.NotYourNote)
            : (note, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Note {NoteId} of conversation {ConversationId} edited by agent {AgentId}")]
    private static partial void LogEdited(ILogger logger, Guid noteId, Guid conversationId, Guid agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Note {NoteId} of conversation {ConversationId} deleted by agent {AgentId}")]
    private static partial void LogDeleted(ILogger logger, Guid noteId, Guid conversationId, Guid agentId);
}
