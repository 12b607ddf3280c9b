using Kefu.Server.Features.Channels.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Kefu.Server.Features.Conversations;

/// <summary>Looks up conversation owners without a database read on every message.</summary>
internal sealed class ConversationDirectory(IDbContextFactory<KefuDbContext> dbFactory, IMemoryCache cache) : IConversationDirectory
{
    public async Task<ConversationOwner?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("conv-owner", id), out ConversationOwner? owner))
        {
            return owner;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        owner = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new ConversationOwner(c.Id, c.TenantId, c.InboxId, c.ContactId))
            .FirstOrDefaultAsync(cancellationToken);
        if (owner is not null)
        {
            cache.Set(("conv-owner", id), owner, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        return owner;
    }

    /// <inheritdoc />
    public async Task<ConversationOwner?> FindForVisitorAsync(VisitorIdentity visitor, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } owner &&
        owner.TenantId == visitor.TenantId && owner.ContactId == visitor.ContactId && owner.InboxId == visitor.InboxId
            ? owner
            : null;
}
