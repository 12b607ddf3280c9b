using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>A contact's tags for other capabilities (automation reads them in conditions and adds them in actions).</summary>
internal interface IContactTagging
{
    /// <summary>The contact's tags, or an empty list when the workspace has no such contact.</summary>
    Task<IReadOnlyList<string>> TagsAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds tags (normalised as <see cref="ContactTags"/> does) as <paramref name="caller"/>, who needs the contacts
    /// permission; audited like an edit of the contact. Tags already there change nothing.
    /// </summary>
    Task<KefuError?> AddTagsAsync(AgentIdentity caller, Guid contactId, IReadOnlyList<string> tags, CancellationToken cancellationToken);
}
