namespace Kefu.Server.Features.VisitorEvents.Contracts;

/// <summary>Reads what the host page said about a visitor (<c>Kefu.setAttributes</c>), for features that target visitors (invitations).</summary>
internal interface IVisitorAttributes
{
    /// <summary>The visitor's attributes as text (numbers and true/false as JSON writes them); empty when none.</summary>
    Task<IReadOnlyDictionary<string, string>> GetAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken);
}
