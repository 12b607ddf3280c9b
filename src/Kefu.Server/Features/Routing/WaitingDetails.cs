using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Routing;

/// <summary>
/// What a supervisor needs to judge a waiting visitor at a glance: name, priority, and why they wait — read from the
/// conversation, its contact and the last timeline step that put it in line, in three queries for the whole line.
/// </summary>
internal sealed class WaitingDetails
{
    private static readonly string[] WhyTypes =
        [ConversationHandedOff.Name, ConversationTransferred.Name, ConversationReopened.Name, ConversationCreated.Name];

    private readonly Dictionary<Guid, (string Name, ConversationPriority Priority)> _conversations;
    private readonly Dictionary<Guid, (string Type, string? Data)> _why;

    private WaitingDetails(Dictionary<Guid, (string, ConversationPriority)> conversations, Dictionary<Guid, (string, string?)> why) =>
        (_conversations, _why) = (conversations, why);

    public static async Task<WaitingDetails> LoadAsync(KefuDbContext db, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return new WaitingDetails([], []);
        }

        var conversations = await (
                from c in db.Conversations.AsNoTracking()
                where ids.Contains(c.Id)
                join p in db.Contacts.AsNoTracking() on c.ContactId equals p.Id
                select new { c.Id, p.Name, c.Priority })
            .ToDictionaryAsync(r => r.Id, r => (r.Name, r.Priority), cancellationToken);
        var steps = await db.ConversationEvents.AsNoTracking()
            .Where(e => ids.Contains(e.ConversationId) && WhyTypes.Contains(e.Type))
            .Select(e => new { e.Id, e.ConversationId, e.Type, e.Data })
            .ToListAsync(cancellationToken);
        var why = steps.GroupBy(e => e.ConversationId).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Id) is var last ? (last!.Type, last.Data) : default);
        return new WaitingDetails(conversations, why);
    }

    public WaitingItem Describe(WaitingItem item, QueueEntry entry)
    {
        var (name, priority) = _conversations.GetValueOrDefault(item.ConversationId, ("", ConversationPriority.Normal));
        item = item with { ContactName = name, Priority = priority };
        if (entry.State == QueueState.LeftMessage)
        {
            return item with { Reason = "left_message" };
        }

        var (type, data) = _why.GetValueOrDefault(item.ConversationId);
        return type switch
        {
            ConversationHandedOff.Name => item with { Reason = "handed_off", Intent = Field(data, "intent"), HandoffReason = Field(data, "reason") },
            ConversationTransferred.Name => item with { Reason = "transferred" },
            _ when entry.PreferredAgentId is not null => item with { Reason = "returning" },
            ConversationReopened.Name => item with { Reason = "reopened" },
            _ => item with { Reason = "new" },
        };
    }

    private static string? Field(string? json, string name)
    {
        if (json is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
    }
}
