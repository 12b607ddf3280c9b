namespace Kefu.Server.Features.Contacts.Contracts;

/// <summary>
/// Read-only access to a workspace's custom contact attributes for other capabilities (automation conditions), so they
/// never read the Contacts tables themselves.
/// </summary>
internal interface IContactAttributeReader
{
    /// <summary>The workspace's definition with this key, or null when it has none.</summary>
    Task<ContactAttributeDefinitionDto?> FindAsync(Guid tenantId, string key, CancellationToken cancellationToken);

    /// <summary>A contact's stored (normalised) attribute values by key; empty when it has none or is not the workspace's.</summary>
    Task<IReadOnlyDictionary<string, ContactAttributeValueDto>> ValuesAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken);
}
