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
/// <param name="Identities">Every channel identity the contact holds (e-mail, WeChat ids, the integrator's verified id).</param>
/// <param name="UnverifiedExternalId">An id the host page claimed without a valid signature: shown as unverified, never used to find the contact.</param>
/// <param name="MergedIntoId">Set when this contact was merged: the survivor, which holds its history now.</param>
/// <param name="History">Other capabilities' items for the contact (tickets …), newest first (<see cref="IContactHistorySource"/>).</param>
public sealed record ContactDto(
    Guid Id, string Name, string? Email, DateTime CreatedAt, DateTime LastSeenAt, IReadOnlyList<ConversationDto> Conversations, string? Phone, IReadOnlyList<string> Tags,
    bool Masked = false, IReadOnlyList<ContactIdentityDto>? Identities = null, string? UnverifiedExternalId = null, Guid? MergedIntoId = null,
    IReadOnlyList<ContactHistoryItem>? History = null)
{
    /// <summary>The fields the edit form shows.</summary>
    public ContactSummary Summary => new(Id, Name, Email, Phone, Tags, CreatedAt, LastSeenAt);
}

/// <summary>A channel identity of a contact.</summary>
/// <param name="Kind">What the channel knows them by.</param>
/// <param name="Value">The id (an e-mail address, an openid, the integrator's id).</param>
/// <param name="CreatedAt">When the contact got it, UTC.</param>
public sealed record ContactIdentityDto(IdentityKind Kind, string Value, DateTime CreatedAt);

/// <summary><c>GET /api/v1/contacts/{id}</c>: who the customer is, their identities and their one history.</summary>
internal sealed partial class GetContact(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationReader conversations, IEnumerable<IContactHistorySource> sources, ILogger<GetContact> logger)
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
        var identities = await db.ContactIdentities.AsNoTracking().Where(i => i.ContactId == id).OrderBy(i => i.Id)
            .Select(i => new ContactIdentityDto(i.Kind, i.Value, i.CreatedAt)).ToListAsync(cancellationToken);
        return new ContactDto(contact.Id, contact.Name, contact.Email, contact.CreatedAt, contact.LastSeenAt, list, contact.Phone, ContactTags.Split(contact.Tags),
            contact.EmailOriginal is not null || contact.PhoneOriginal is not null, identities, contact.UnverifiedExternalId, contact.MergedIntoId,
            await HistoryAsync(tenantId, id, cancellationToken));
    }

    private async Task<IReadOnlyList<ContactHistoryItem>> HistoryAsync(Guid tenantId, Guid contactId, CancellationToken cancellationToken)
    {
        var items = new List<ContactHistoryItem>();
        foreach (var source in sources)
        {
            try
            {
                items.AddRange(await source.ListAsync(tenantId, contactId, 100, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One capability's failure leaves its items out; the profile and the other items still show.
                LogSourceFailed(logger, source.GetType().Name, e);
            }
        }

        return [.. items.OrderByDescending(i => i.At).Take(100)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact history source {Source} failed; its items are left out")]
    private static partial void LogSourceFailed(ILogger logger, string source, Exception exception);
}
