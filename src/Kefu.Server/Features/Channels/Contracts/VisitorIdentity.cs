using System.Security.Claims;
using Kefu.Server.Features.Channels.WebWidget;

namespace Kefu.Server.Features.Channels.Contracts;

/// <summary>Who a widget visitor is: a contact of one inbox of one tenant.</summary>
internal sealed record VisitorIdentity(Guid TenantId, Guid InboxId, Guid ContactId)
{
    public const string TenantClaim = "kefu:tenant";
    public const string InboxClaim = "kefu:inbox";

    public static VisitorIdentity? From(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TenantClaim), out var tenant) &&
        Guid.TryParse(user.FindFirstValue(InboxClaim), out var inbox) &&
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var contact) &&
        user.Identity?.AuthenticationType == VisitorAuthentication.SchemeName
            ? new VisitorIdentity(tenant, inbox, contact)
            : null;
}
