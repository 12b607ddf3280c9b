using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>The encrypted originals of masked values, as personal data: erased with their conversations, never exported.</summary>
internal sealed class MaskedOriginalsPersonalData : IPersonalDataHolder
{
    /// <summary>
    /// Both modes: an anonymised conversation's text becomes "[removed]", so its originals must go too
    /// (the conversation row, and with it the cascade, stays).
    /// </summary>
    public async Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken) =>
        tally.Add("masked_values", await db.ProtectedMessageValues.Where(v => conversationIds.Contains(v.ConversationId)).ExecuteDeleteAsync(cancellationToken));

    public Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Nothing: the export carries messages as stored (masked). Exporting is a different permission from
    /// unmasking, and an export must not become a way around the audited reveal.
    /// </summary>
    public Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
