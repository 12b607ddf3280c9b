using System.Runtime.InteropServices;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Conversations;

/// <summary>Workspace files (a canned reply's) and the agents' copies of them: <see cref="IWorkspaceFiles"/>.</summary>
internal sealed class WorkspaceFiles(IDbContextFactory<KefuDbContext> dbFactory, AttachmentStore store, ConversationMapper mapper, TimeProvider time)
    : IWorkspaceFiles
{
    public static readonly KefuError TypeNotAllowed = new("canned_attachment_type_not_allowed",
        "A canned reply holds files and images, not voice messages or other audio.") { Field = "attachmentIds" };

    private static readonly KefuError NotFound = ConversationErrors.AttachmentNotFound with { Field = "attachmentIds" };

    public async Task<KefuError?> AdoptAsync(KefuDbContext db, Guid tenantId, Guid agentId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return null;
        }

        var list = ids.Distinct().ToList();
        var rows = await db.Attachments.Where(a => EF.Parameter(list).Contains(a.Id) && a.TenantId == tenantId && a.UploaderAgentId == agentId)
            .ToListAsync(cancellationToken);
        if (rows.Count != list.Count || await db.Messages.AnyAsync(m => m.AttachmentId != null && EF.Parameter(list).Contains(m.AttachmentId.Value), cancellationToken))
        {
            return NotFound; // not theirs, not this workspace's, or already part of a conversation
        }

        if (rows.Any(a => AttachmentRules.IsAudio(a.ContentType)))
        {
            return TypeNotAllowed;
        }

        foreach (var row in rows)
        {
            row.UploaderAgentId = null; // the workspace's now: nobody sends this row itself, only copies of it
        }

        return null;
    }

    public async Task<IReadOnlyDictionary<Guid, AttachmentDto>> DescribeAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, AttachmentDto>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var list = ids.Distinct().ToList();
        return await db.Attachments.AsNoTracking().Where(a => EF.Parameter(list).Contains(a.Id) && a.TenantId == tenantId && a.UploaderAgentId == null && a.UploaderContactId == null)
            .ToDictionaryAsync(a => a.Id, mapper.ToDto, cancellationToken);
    }

    public async Task<IReadOnlyList<AttachmentDto>> CopyForAgentAsync(Guid tenantId, Guid agentId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var list = ids.Distinct().ToList();
        var sources = await db.Attachments.AsNoTracking()
            .Where(a => EF.Parameter(list).Contains(a.Id) && a.TenantId == tenantId && a.UploaderAgentId == null && a.UploaderContactId == null)
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var copies = new List<Attachment>();
        try
        {
            foreach (var id in list)
            {
                if (!sources.TryGetValue(id, out var source) || !File.Exists(store.PathFor(source)))
                {
                    continue;
                }

                var copy = new Attachment
                {
                    Id = Guid.CreateVersion7(now), TenantId = tenantId, UploaderAgentId = agentId, FileName = source.FileName,
                    ContentType = source.ContentType, Size = source.Size, Sha256 = source.Sha256, CreatedAt = now,
                };
                copies.Add(copy);
                Share(store.PathFor(source), store.PathFor(copy));
                db.Attachments.Add(copy);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            foreach (var copy in copies)
            {
                File.Delete(store.PathFor(copy)); // never a name on disk without its row
            }

            throw;
        }

        return copies.ConvertAll(mapper.ToDto);
    }

    public async Task DeleteAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var list = ids.Distinct().ToList();
        // Only rows that are the workspace's and in no message: a message's file is the conversation's, whatever happens.
        var rows = await db.Attachments.AsNoTracking()
            .Where(a => EF.Parameter(list).Contains(a.Id) && a.TenantId == tenantId && a.UploaderAgentId == null && a.UploaderContactId == null
                && !db.Messages.Any(m => m.AttachmentId == a.Id))
            .ToListAsync(cancellationToken);
        var gone = rows.Select(a => a.Id).ToList();
        await db.Attachments.Where(a => EF.Parameter(gone).Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
        foreach (var row in rows)
        {
            // This row's own name only: a copy sent in a conversation has its own (a hard link keeps the bytes for it).
            File.Delete(store.PathFor(row));
        }
    }

    /// <summary>
    /// A second name for the same bytes (a hard link: the file system frees the bytes only when the last name goes), or a
    /// copy where links are not available (Windows, or uploads on a file system without them).
    /// </summary>
    private static void Share(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                if (Link(source, target) == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // no usable libc here: copy
            }
        }

        File.Copy(source, target);
    }

#pragma warning disable SYSLIB1054 // one plain call; LibraryImport would need unsafe blocks in the project
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
#pragma warning restore SYSLIB1054
}
