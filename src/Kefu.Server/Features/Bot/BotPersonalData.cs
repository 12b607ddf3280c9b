using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary>
/// The bot's records as personal data: the visitor's questions kept for the unanswered report and the hand-off
/// transcripts. Deleting a conversation deletes them (foreign keys cascade); anonymising keeps the outcomes,
/// reasons and intents that analytics count, and removes what the visitor wrote.
/// </summary>
internal sealed class BotPersonalData : IPersonalDataHolder
{
    public async Task EraseConversationsAsync(
        KefuDbContext db, IReadOnlyCollection<Guid> conversationIds, ErasureMode mode, ErasureTally tally, CancellationToken cancellationToken)
    {
        if (mode == ErasureMode.Delete)
        {
            return; // the conversation's delete cascades to its turns and packets
        }

        await db.BotTurns.Where(t => conversationIds.Contains(t.ConversationId) && t.Question != null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Question, (string?)null), cancellationToken);
        var packets = await db.HandoffPackets.Where(p => conversationIds.Contains(p.ConversationId)).ToListAsync(cancellationToken);
        foreach (var packet in packets)
        {
            var dto = JsonSerializer.Deserialize<HandoffPacketDto>(packet.Data, HandoffPacketBuilder.Json);
            if (dto is not null)
            {
                // The transcript is the visitor's words, the cues are words picked from them.
                packet.Data = JsonSerializer.Serialize(dto with { Transcript = [], Sentiment = dto.Sentiment with { Cues = [] } }, HandoffPacketBuilder.Json);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public Task EraseContactsAsync(KefuDbContext db, IReadOnlyCollection<Guid> contactIds, ErasureTally tally, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task ExportAsync(KefuDbContext db, Guid contactId, IReadOnlyCollection<Guid> conversationIds, PersonalDataExport export, CancellationToken cancellationToken)
    {
        var turns = await db.BotTurns.AsNoTracking().Where(t => conversationIds.Contains(t.ConversationId)).OrderBy(t => t.Id)
            .Select(t => new { t.ConversationId, t.MessageId, t.Seq, t.Outcome, t.Language, t.HandoffReason, t.Question, t.CreatedAt })
            .ToListAsync(cancellationToken);
        var packets = await db.HandoffPackets.AsNoTracking().Where(p => conversationIds.Contains(p.ConversationId)).OrderBy(p => p.CreatedAt)
            .Select(p => p.Data).ToListAsync(cancellationToken);
        await export.AddJsonAsync("bot.json", new
        {
            Turns = turns,
            Handoffs = packets.Select(p => JsonSerializer.Deserialize<HandoffPacketDto>(p, HandoffPacketBuilder.Json)).ToList(),
        }, cancellationToken);
    }
}
