using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary>A contact's profile and their one history, as the caller may see it.</summary>
/// <param name="Id">Contact id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Email">E-mail, when known.</param>
/// <param name="CreatedAt">First seen, UTC.</param>
/// <param name="LastSeenAt">Last seen, UTC.</param>
/// <param name="Conversations">Their conversations the caller may see (ADR 0008 scope and inboxes), open and past.</param>
/// <param name="Phone">Phone as stored (masked when masking took it), when known.</param>
/// <param name="Tags">Tags (<c>vip</c> …).</param>
/// <param name="Masked">True when masking took the e-mail or phone: users who may unmask can reveal the original (<c>POST /api/v1/contacts/{id}/unmask</c>).</param>
/// <param name="Identities">Every channel identity the contact holds (e-mail, WeChat ids, the integrator's verified id).</param>
/// <param name="UnverifiedExternalId">An id the host page claimed without a valid signature: shown as unverified, never used to find the contact.</param>
/// <param name="MergedIntoId">Set when this contact was merged: the survivor, which holds its history now.</param>
/// <param name="History">
/// The one history, newest first: the visible conversations (kind <c>conversation</c>, with their channel) and every other
/// capability's items (tickets …, <see cref="IContactHistorySource"/>), at most 100.
/// </param>
/// <param name="Company">Company, when known.</param>
/// <param name="Language">Preferred language (BCP 47), when known.</param>
/// <param name="Location">Location, when known.</param>
/// <param name="Attributes">Custom attribute values, in the definitions' key order.</param>
/// <param name="Notes">Agents' notes on the contact, newest first.</param>
public sealed record ContactDto(
    Guid Id, string Name, string? Email, DateTime CreatedAt, DateTime LastSeenAt, IReadOnlyList<ConversationDto> Conversations, string? Phone, IReadOnlyList<string> Tags,
    bool Masked = false, IReadOnlyList<ContactIdentityDto>? Identities = null, string? UnverifiedExternalId = null, Guid? MergedIntoId = null,
    IReadOnlyList<ContactHistoryItem>? History = null, string? Company = null, string? Language = null, string? Location = null,
    IReadOnlyList<ContactAttributeValueDto>? Attributes = null, IReadOnlyList<ContactNoteDto>? Notes = null)
{
    /// <summary>The fields the edit form shows.</summary>
    public ContactSummary Summary => new(Id, Name, Email, Phone, Tags, CreatedAt, LastSeenAt, Company, Language, Location);
}

/// <summary>A channel identity of a contact.</summary>
/// <param name="Kind">What the channel knows them by.</param>
/// <param name="Value">The id (an e-mail address, an openid, the integrator's id).</param>
/// <param name="CreatedAt">When the contact got it, UTC.</param>
public sealed record ContactIdentityDto(IdentityKind Kind, string Value, DateTime CreatedAt);

/// <summary>
/// <c>GET /api/v1/contacts/{id}</c>: who the customer is, their identities, attributes, notes and one history. The
/// history holds only what the caller may see elsewhere: conversations in their scope and inboxes (ADR 0008), and what
/// each other capability's source lets them see (tickets need the tickets permission).
/// </summary>
internal sealed partial class GetContact(
    IDbContextFactory<KefuDbContext> dbFactory, IConversationReader conversations, IConversationAccess conversationAccess, IEnumerable<IContactHistorySource> sources,
    ILogger<GetContact> logger)
{
    public const int HistoryLimit = 100;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contacts/{id:guid}", async Task<Results<Ok<ContactDto>, NotFound>> (Guid id, HttpContext http, GetContact handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } contact ? TypedResults.Ok(contact) : TypedResults.NotFound())
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("GetContact")
            .WithTags("Contacts");

    public async Task<ContactDto?> HandleAsync(AgentIdentity viewer, Guid id, CancellationToken cancellationToken)
    {
        var tenantId = viewer.TenantId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.TenantId == tenantId, cancellationToken);
        if (contact is null)
        {
            return null;
        }

        var list = await VisibleConversationsAsync(db, viewer, id, cancellationToken);
        var identities = await db.ContactIdentities.AsNoTracking().Where(i => i.ContactId == id).OrderBy(i => i.Id)
            .Select(i => new ContactIdentityDto(i.Kind, i.Value, i.CreatedAt)).ToListAsync(cancellationToken);
        var attributes = await (from v in db.Set<ContactAttributeValue>().AsNoTracking()
                                join d in db.Set<ContactAttributeDefinition>().AsNoTracking() on v.DefinitionId equals d.Id
                                where v.ContactId == id && d.TenantId == tenantId
                                orderby d.Key
                                select new ContactAttributeValueDto(d.Key, d.LabelEn, d.LabelZh, d.Type, v.Value)).ToListAsync(cancellationToken);
        var notes = await db.Set<ContactNote>().AsNoTracking().Where(n => n.ContactId == id && n.TenantId == tenantId).OrderByDescending(n => n.CreatedAt).Take(200)
            .ToListAsync(cancellationToken);
        return new ContactDto(contact.Id, contact.Name, contact.Email, contact.CreatedAt, contact.LastSeenAt, list, contact.Phone, ContactTags.Split(contact.Tags),
            contact.EmailOriginal is not null || contact.PhoneOriginal is not null, identities, contact.UnverifiedExternalId, contact.MergedIntoId,
            await HistoryAsync(db, viewer, id, list, cancellationToken), contact.Company, contact.Language, contact.Location, attributes, notes.ConvertAll(AddContactNote.ToDto));
    }

    /// <summary>The contact's conversations the viewer may open: the conversation list's own rule, never a second copy of it.</summary>
    private async Task<IReadOnlyList<ConversationDto>> VisibleConversationsAsync(KefuDbContext db, AgentIdentity viewer, Guid contactId, CancellationToken cancellationToken)
    {
        if (await conversationAccess.VisibleAsync(db, viewer, cancellationToken) is not { } visible)
        {
            return [];
        }

        var ids = await visible.Where(c => c.ContactId == contactId).OrderByDescending(c => c.LastMessageAt).Take(HistoryLimit).Select(c => c.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var all = await conversations.ListAsync(viewer.TenantId, ConversationFilter.All, 1000, contactId, cancellationToken);
        return [.. all.Where(c => ids.Contains(c.Id))];
    }

    private async Task<IReadOnlyList<ContactHistoryItem>> HistoryAsync(
        KefuDbContext db, AgentIdentity viewer, Guid contactId, IReadOnlyList<ConversationDto> visible, CancellationToken cancellationToken)
    {
        var inboxIds = visible.Select(c => c.InboxId).Distinct().ToList();
        var channels = await db.Inboxes.AsNoTracking().Where(i => i.TenantId == viewer.TenantId && inboxIds.Contains(i.Id))
            .ToDictionaryAsync(i => i.Id, i => i.Channel, cancellationToken);
        var items = visible.Select(v => new ContactHistoryItem("conversation", v.Id, v.LastMessagePreview ?? "", v.Status.ToString().ToLowerInvariant(), v.LastMessageAt,
            $"/console/conversations/{v.Id}", channels.TryGetValue(v.InboxId, out var channel) ? ChannelWord(channel) : null)).ToList();
        foreach (var source in sources)
        {
            try
            {
                items.AddRange(await source.ListAsync(viewer, contactId, HistoryLimit, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One capability's failure leaves its items out; the profile and the other items still show.
                LogSourceFailed(logger, source.GetType().Name, e);
            }
        }

        return [.. items.OrderByDescending(i => i.At).Take(HistoryLimit)];
    }

    /// <summary>The channel as the history names it: one word per family (WeChat's three ways in are all <c>wechat</c>).</summary>
    internal static string ChannelWord(ChannelType channel) => channel switch
    {
        ChannelType.WebWidget => "widget",
        ChannelType.Email => "email",
        ChannelType.WeChatOfficialAccount or ChannelType.WeCom or ChannelType.MiniProgram => "wechat",
        _ => "api",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contact history source {Source} failed; its items are left out")]
    private static partial void LogSourceFailed(ILogger logger, string source, Exception exception);
}
