using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot.Flows;

/// <summary>
/// Applies a flow's <c>set</c> steps to the visitor's contact in the turn's transaction: name, e-mail and phone through
/// <see cref="IContactDetails"/> (the same path as a pre-chat form), tags normalised as <see cref="ContactTags"/> does.
/// A value that is not valid for its field is skipped: a flow's words never block its turn.
/// </summary>
internal sealed class FlowContactWriter(IContactDetails details)
{
    public async Task ApplyAsync(KefuDbContext db, Guid tenantId, Guid contactId, IReadOnlyList<FlowContactChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            if (change.Tag is { } tag)
            {
                var contact = await db.Set<Contact>().FirstOrDefaultAsync(c => c.Id == contactId && c.TenantId == tenantId, cancellationToken);
                var tags = ContactTags.TryNormalize([.. contact?.Tags.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [], tag], out _);
                if (contact is not null && tags is not null)
                {
                    contact.Tags = string.Join(' ', tags);
                }

                continue;
            }

            var value = change.Field switch
            {
                "email" => FlowValues.Check(new FlowValidation("email"), change.Value),
                "phone" => FlowValues.Check(new FlowValidation("phone"), change.Value),
                _ => change.Value.Trim() is { Length: > 0 and <= 100 } name ? name : null,
            };
            if (value is not null)
            {
                await details.TellAsync(db, tenantId, contactId, change.Field == "name" ? value : null, change.Field == "email" ? value : null,
                    change.Field == "phone" ? value : null, cancellationToken);
            }
        }
    }
}
