using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A contact with their conversations, newest first.</summary>
/// <param name="Id">Contact id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">E-mail, when known.</param>
/// <param name="CreatedAt">First seen, UTC.</param>
/// <param name="LastSeenAt">Last seen, UTC.</param>
/// <param name="Conversations">All their conversations, open and past.</param>
/// <param name="Phone">Phone as stored (masked when masking took it), when known.</param>
/// <param name="Tags">Tags (<c>vip</c> …).</param>
/// <param name="Masked">True when masking took the e-mail or phone: users who may unmask can reveal the original (<c>POST /api/v1/contacts/{id}/unmask</c>).</param>
public sealed record ContactDto(
    Guid Id, string Name, string? Email, DateTime CreatedAt, DateTime LastSeenAt, IReadOnlyList<ConversationDto> Conversations, string? Phone, IReadOnlyList<string> Tags,
    bool Masked = false)
{
    /// <summary>The fields the edit form shows.</summary>
    public ContactSummary Summary => new(Id, Name, Email, Phone, Tags, CreatedAt, LastSeenAt);
}

/// <summary><c>GET /api/v1/contacts/{id}</c>: who the customer is and their past conversations.</summary>
internal sealed class GetContact(IDbContextFactory<KefuDbContext> dbFactory, IConversationReader conversations)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts/{id:guid}", async Task<Results<Ok<ContactDto>, NotFound>> (Guid id, HttpContext http, GetContact handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound())
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("GetContact")
            .WithTags("Contacts");

    public async Task<ContactDto?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.TenantId == tenantId, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var list = await conversations.ListAsync(tenantId, ConversationFilter.All, 100, id, cancellationToken);
        return new ContactDto(contact.Id, contact.Name, contact.Email, contact.CreatedAt, contact.LastSeenAt, list, contact.Phone, ContactTags.Split(contact.Tags),
            contact.EmailOriginal is not null || contact.PhoneOriginal is not null);
    }
}
