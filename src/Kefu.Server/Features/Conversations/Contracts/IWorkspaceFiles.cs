using Kefu.Server.Hosting;
using Kefu.Server.Persistence;

namespace Kefu.Server.Features.Conversations.Contracts;

/// <summary>
/// Files a workspace keeps outside any conversation (a canned reply's, ADR 0042), and the copies an agent sends of them.
/// A workspace file has no uploader, so nobody can send it as it is (the message writer accepts only the sender's own
/// uploads): sending one goes through <see cref="CopyForAgentAsync"/>, which makes a new row of the agent's that shares
/// the stored bytes. Each row has its own name on disk, so deleting one row never takes bytes another row uses.
/// Implemented by Conversations, which owns the attachments.
/// </summary>
internal interface IWorkspaceFiles
{
    /// <summary>
    /// Makes the agent's unsent uploads among <paramref name="ids"/> the workspace's: the rows are changed in
    /// <paramref name="db"/> (tracked) and stored with the caller's <c>SaveChangesAsync</c>. Every id must be an upload of
    /// this agent in this workspace not sent in any message (<c>attachment_not_found</c>, 404, otherwise: another
    /// agent's or workspace's file is not told apart from none); a voice message or other audio is refused
    /// (<c>canned_attachment_type_not_allowed</c>). On an error nothing is changed.
    /// </summary>
    Task<KefuError?> AdoptAsync(KefuDbContext db, Guid tenantId, Guid agentId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>The workspace's files among <paramref name="ids"/>, with fresh signed download links.</summary>
    Task<IReadOnlyDictionary<Guid, AttachmentDto>> DescribeAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>
    /// One new upload of <paramref name="agentId"/> per workspace file among <paramref name="ids"/> (in that order; a
    /// file gone meanwhile is skipped), sharing the bytes (a hard link where the file system has them, else a copy).
    /// </summary>
    Task<IReadOnlyList<AttachmentDto>> CopyForAgentAsync(Guid tenantId, Guid agentId, IReadOnlyList<Guid> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the workspace files among <paramref name="ids"/> (rows, then their names on disk). Call after the change
    /// that stopped pointing at them is committed. Copies already sent are other rows and stay.
    /// </summary>
    Task DeleteAsync(Guid tenantId, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);
}
