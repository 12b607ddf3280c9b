using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>A contact's e-mail and phone as typed. A field that was not masked is returned as stored.</summary>
/// <param name="ContactId">The contact.</param>
/// <param name="Email">The e-mail address as typed, or null when there is none.</param>
/// <param name="Phone">The phone number as typed, or null when there is none.</param>
/// <param name="Revealed">The fields whose original was decrypted (<c>email</c>, <c>phone</c>); empty when nothing was masked.</param>
public sealed record UnmaskedContactDto(Guid ContactId, string? Email, string? Phone, IReadOnlyList<string> Revealed);

/// <summary>
/// <c>POST /api/v1/contacts/{id}/unmask</c>: the originals of a contact's masked e-mail and phone, for users whose role
/// may unmask personal data (others 403). Another workspace's contact, or one the user can neither see as a contact
/// (the contacts permission) nor through a conversation in their scope, is 404. As for a message: audited
/// (<c>pii.unmasked</c>, the field names only) before anything is returned, a POST, and <c>no-store</c>.
/// </summary>
internal sealed partial class UnmaskContact(
    IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IConversationAccess conversations, PersonalDataProtector protector, IAuditLog audit,
    ILogger<UnmaskContact> logger)
{
    /// <summary>Conversations looked at to decide whether a user without the contacts permission may see the contact.</summary>
    private const int ConversationsChecked = 50;

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/contacts/{id:guid}/unmask", async Task<Results<Ok<UnmaskedContactDto>, ProblemHttpResult>> (
                Guid id, HttpContext http, UnmaskContact handler, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                var (contact, error) = await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct);
                return error is null ? TypedResults.Ok(contact) : KefuProblems.Problem(error);
            })
            .WithName("UnmaskContact")
            .WithTags("Privacy")
            .RequireAuthorization(AccessPolicies.For(Permission.UnmaskPersonalData));

    public async Task<(UnmaskedContactDto?, KefuError?)> HandleAsync(AgentIdentity agent, Guid contactId, CancellationToken cancellationToken)
    {
        if (await access.ForAsync(agent, cancellationToken) is not { } caller || !caller.Has(Permission.UnmaskPersonalData))
        {
            return (null, ContactErrors.Forbidden with { Message = "Your role may not reveal masked personal data." });
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == agent.TenantId, cancellationToken);
        if (contact is null || !caller.Has(Permission.Contacts) && !await SeesAConversationAsync(db, agent, contactId, cancellationToken))
        {
            return (null, ContactErrors.ContactNotFound);
        }

        var email = Reveal(agent, contactId, "email", contact.Email, contact.EmailOriginal, out var emailRevealed);
        var phone = Reveal(agent, contactId, "phone", contact.Phone, contact.PhoneOriginal, out var phoneRevealed);
        string[] revealed = [.. new[] { emailRevealed ? "email" : null, phoneRevealed ? "phone" : null }.OfType<string>()];
        await audit.WriteAsync(new AuditRecord(AuditActions.PersonalDataUnmasked, "contact", contactId.ToString(), "fields=" + string.Join(',', revealed))
        {
            // Explicit, not from the request: the console reveals over its circuit, where there is none.
            TenantId = agent.TenantId, ActorId = agent.UserId, ActorName = agent.DisplayName,
        }, cancellationToken);
        return (new UnmaskedContactDto(contactId, email, phone, revealed), null);
    }

    /// <summary>A user who may not see contacts as such still sees the one they are talking to.</summary>
    private async Task<bool> SeesAConversationAsync(KefuDbContext db, AgentIdentity agent, Guid contactId, CancellationToken cancellationToken)
    {
        var ids = await db.Conversations.Where(c => c.ContactId == contactId && c.TenantId == agent.TenantId)
            .OrderByDescending(c => c.CreatedAt).Select(c => c.Id).Take(ConversationsChecked).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            if (await conversations.CheckReadAsync(agent, id, cancellationToken) is null)
            {
                return true;
            }
        }

        return false;
    }

    private string? Reveal(AgentIdentity agent, Guid contactId, string field, string? stored, string? cipher, out bool revealed)
    {
        revealed = false;
        if (stored is null || cipher is null)
        {
            return stored;
        }

        if (protector.Unprotect(agent.TenantId, cipher) is not { } original)
        {
            // A lost key ring or a tampered row: say so in the log (ids only) and show the value as stored.
            LogUnreadable(logger, contactId, field);
            return stored;
        }

        revealed = true;
        return original;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The masked {Field} of contact {ContactId} could not be decrypted.")]
    private static partial void LogUnreadable(ILogger logger, Guid contactId, string field);
}
