using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Features.Webhooks;

/// <summary>Wakes the webhook sender when deliveries were queued or came free.</summary>
internal sealed class WebhookSignal() : WakeSignal("webhooks");

/// <summary>
/// The durable-lane consumer: queues one delivery row per active subscription that wants an event, and nothing else
/// (the sending is <see cref="WebhookSender"/>'s, off this lane, so a slow receiver never holds the outbox back).
/// <c>Handles</c> answers from <see cref="WebhookSubscriptionCache"/>: for a workspace without a matching subscription it
/// is a dictionary lookup, and the pass costs no statement. When something matches, a pass costs one INSERT of all its
/// rows (<c>ON CONFLICT DO NOTHING</c>, so a replayed outbox event inserts nothing twice), plus one query to reload the
/// cache when it is older than <see cref="WebhookOptions.CacheLifetime"/> or was dropped by a change.
/// </summary>
internal sealed class EnqueueWebhookDeliveries(
    IDbContextFactory<KefuDbContext> dbFactory, WebhookSubscriptionCache cache, WebhookSignal signal, TimeProvider time,
    IOptions<WebhookOptions> options) : IOutboxConsumer
{
    /// <summary>Rows per INSERT: 10 parameters each stays far below SQLite's and PostgreSQL's parameter limits.</summary>
    private const int RowsPerStatement = 500;

    public string Name => "webhooks";

    public bool Handles(ConversationEvent e) => e is AutomationWebhookRequested || cache.MayWant(e.TenantId, e.Type);

    /// <summary>The subscriptions that receive <paramref name="e"/>: those that subscribed to its type, or the one a rule's webhook action named.</summary>
    private static IEnumerable<WebhookSubscriptionCache.Entry> Receivers(IEnumerable<WebhookSubscriptionCache.Entry> subscriptions, ConversationEvent e) =>
        e is AutomationWebhookRequested rule ? subscriptions.Where(s => s.Id == rule.SubscriptionId) : subscriptions.Where(s => s.Events.Contains(e.Type));

    public Task HandleAsync(ConversationEvent e, CancellationToken cancellationToken) => HandleAllAsync([e], cancellationToken);

    public async Task HandleAllAsync(IReadOnlyList<ConversationEvent> events, CancellationToken cancellationToken)
    {
        var snapshot = await cache.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var rows = new List<WebhookDelivery>();
        foreach (var e in events)
        {
            if (!snapshot.ByTenant.TryGetValue(e.TenantId, out var subscriptions) || !Receivers(subscriptions, e).Any())
            {
                continue;
            }

            var (eventId, body) = Body(e);
            foreach (var subscription in Receivers(subscriptions, e))
            {
                rows.Add(new WebhookDelivery
                {
                    TenantId = e.TenantId, SubscriptionId = subscription.Id, EventId = eventId, EventType = e.Type, Payload = body,
                    Status = WebhookDeliveryStatus.Pending, CreatedAt = now, RetryUntil = now + options.Value.RetryFor, NextAttemptAt = now,
                });
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await InsertAsync(db, chunk, cancellationToken);
        }

        signal.Notify();
    }

    /// <summary>
    /// The event's id and the body every subscription receives: <c>{"id","type","createdAt","data"}</c>, where data is
    /// the durable form of the event (ids and reasons, no text written by people). The id is derived from the event
    /// itself, so the same event handed out again by the outbox gets the same id and finds its row.
    /// </summary>
    internal static (Guid EventId, string Body) Body(ConversationEvent e)
    {
        var data = ConversationEventCatalogue.ToOutboxJson(e);
        var eventId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(e.Type + "\n" + data)).AsSpan(0, 16));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", eventId);
            json.WriteString("type", e.Type);
            json.WriteString("createdAt", DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc));
            json.WritePropertyName("data");
            json.WriteRawValue(data, skipInputValidation: true);
            json.WriteEndObject();
        }

        return (eventId, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static readonly string[] Columns =
    [
        nameof(WebhookDelivery.TenantId), nameof(WebhookDelivery.SubscriptionId), nameof(WebhookDelivery.EventId),
        nameof(WebhookDelivery.EventType), nameof(WebhookDelivery.Payload), nameof(WebhookDelivery.Status),
        nameof(WebhookDelivery.Attempts), nameof(WebhookDelivery.CreatedAt), nameof(WebhookDelivery.RetryUntil), nameof(WebhookDelivery.NextAttemptAt),
    ];

    /// <summary>
    /// One multi-row <c>INSERT … ON CONFLICT (SubscriptionId, EventId) DO NOTHING</c> (the same text on SQLite and
    /// PostgreSQL); columns, quoting, type mappings and converters from the EF model, so values are stored as EF would.
    /// </summary>
    private static async Task InsertAsync(KefuDbContext db, IReadOnlyList<WebhookDelivery> rows, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(WebhookDelivery))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = Columns.Select(c => entity.FindProperty(c)!).ToArray();
        string Column(string name) => sql.DelimitIdentifier(entity.FindProperty(name)!.GetColumnName(table)!);

        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        var text = new StringBuilder("INSERT INTO ").Append(sql.DelimitIdentifier(table.Name, table.Schema)).Append(" (")
            .AppendJoin(", ", Columns.Select(Column)).Append(") VALUES ");
        for (var r = 0; r < rows.Count; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < properties.Length; c++)
            {
                var name = $"p{r}_{c}";
                var mapping = (RelationalTypeMapping)properties[c].GetTypeMapping();
                command.Parameters.Add(mapping.CreateParameter(command, name, properties[c].GetGetter().GetClrValue(rows[r]), properties[c].IsNullable));
                text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
            }

            text.Append(')');
        }

        text.Append(" ON CONFLICT (").Append(Column(nameof(WebhookDelivery.SubscriptionId))).Append(", ")
            .Append(Column(nameof(WebhookDelivery.EventId))).Append(") DO NOTHING");
        command.CommandText = text.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
