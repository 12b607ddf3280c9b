using Kefu.Server.Features.Collaboration.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Collaboration;

/// <summary>Notes as agents read them: with the writer's and the mentioned people's names as they are now.</summary>
internal sealed class NoteReader
{
    /// <summary>More notes than a conversation sensibly holds; the newest are kept when there are more.</summary>
    public const int MaxNotes = 500;

    public async Task<IReadOnlyList<NoteDto>> ListAsync(KefuDbContext db, Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        var rows = await db.Notes.AsNoTracking().Where(n => n.ConversationId == conversationId && n.TenantId == tenantId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(MaxNotes).ToListAsync(cancellationToken);
        rows.Reverse();
        return await MapAsync(db, tenantId, rows, cancellationToken);
    }

    public async Task<NoteDto?> FindAsync(KefuDbContext db, Guid tenantId, Guid noteId, CancellationToken cancellationToken)
    {
        var rows = await db.Notes.AsNoTracking().Where(n => n.Id == noteId && n.TenantId == tenantId).ToListAsync(cancellationToken);
        return (await MapAsync(db, tenantId, rows, cancellationToken)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<NoteDto>> MapAsync(KefuDbContext db, Guid tenantId, List<ConversationNote> rows, CancellationToken cancellationToken)
    {
        var mentioned = rows.SelectMany(r => MentionResolver.Parse(r.Mentions)).ToList();
        var people = rows.Where(r => r.AuthorId is not null).Select(r => r.AuthorId!.Value)
            .Concat(mentioned.Where(m => m.Kind == MentionKinds.Agent).Select(m => m.Id)).Distinct().ToList();
        var teamIds = mentioned.Where(m => m.Kind == MentionKinds.Team).Select(m => m.Id).Distinct().ToList();
        var names = people.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId && people.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var teams = teamIds.Count == 0 ? [] : await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId && teamIds.Contains(t.Id))
            .ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        return
        [
            .. rows.Select(r => new NoteDto(r.Id, r.ConversationId, r.AuthorId, r.AuthorId is { } a ? names.GetValueOrDefault(a) : null, r.Text,
                [.. MentionResolver.Parse(r.Mentions)
                    .Select(m => new MentionDto(m.Kind, m.Id, (m.Kind == MentionKinds.Team ? teams.GetValueOrDefault(m.Id) : names.GetValueOrDefault(m.Id)) ?? ""))],
                r.CreatedAt)),
        ];
    }
}
