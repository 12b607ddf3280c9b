namespace Kefu.Server.Features.Webhooks;

/// <summary>A webhook as admins see it; never its secret.</summary>
/// <param name="Id">The webhook.</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Description">What the admin called it.</param>
/// <param name="Events">The event names it receives.</param>
/// <param name="Status">Active, paused by an admin, or paused by Kefu after failing for a day.</param>
/// <param name="FailingSince">When its receiver started failing, UTC; null while it answers.</param>
/// <param name="LastSuccessAt">The last delivery its receiver accepted, UTC.</param>
/// <param name="CreatedAt">Created, UTC.</param>
/// <param name="UpdatedAt">Last changed, UTC.</param>
public sealed record WebhookDto(
    Guid Id, string Url, string Description, IReadOnlyList<string> Events, WebhookStatus Status, DateTime? FailingSince, DateTime? LastSuccessAt,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>A new webhook and its signing secret, shown this once.</summary>
/// <param name="Webhook">The webhook.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>): store it now; it cannot be read again, only rotated.</param>
public sealed record WebhookCreated(WebhookDto Webhook, string Secret);

/// <summary>A new signing secret, shown this once; the old one stops signing at once.</summary>
/// <param name="Secret">The signing secret.</param>
public sealed record WebhookSecret(string Secret);

/// <summary>A page of webhooks, oldest first.</summary>
/// <param name="Items">The webhooks.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record WebhookPage(IReadOnlyList<WebhookDto> Items, string? NextCursor);

/// <summary>Create or change a webhook.</summary>
/// <param name="Url">The receiver: a public http(s) URL.</param>
/// <param name="Events">Event names from <c>GET /api/v1/webhooks/events</c>, at least one.</param>
/// <param name="Description">Up to 200 characters, to recognise it by.</param>
/// <param name="Enabled">On a change: false pauses it, true resumes it (also after Kefu paused it). Ignored on create.</param>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description, bool? Enabled = null);

/// <summary>One delivery of the log: the event, its body and the last attempt.</summary>
/// <param name="Id">Increasing id.</param>
/// <param name="WebhookId">The webhook.</param>
/// <param name="EventId">The event's id (header <c>Kefu-Event-Id</c>), the same on every attempt.</param>
/// <param name="EventType">The event's name.</param>
/// <param name="Status">Pending (queued or retrying), succeeded or dead.</param>
/// <param name="Attempts">Attempts since it was queued or last replayed.</param>
/// <param name="CreatedAt">Queued, UTC.</param>
/// <param name="NextAttemptAt">The next attempt, UTC, while pending.</param>
/// <param name="LastAttemptAt">The last attempt, UTC.</param>
/// <param name="ResponseStatus">The receiver's HTTP status on the last attempt; null when it did not answer.</param>
/// <param name="ResponseBody">The start of its answer.</param>
/// <param name="Error">Why the last attempt failed, when the status does not say it.</param>
/// <param name="DurationMs">How long the last attempt took.</param>
/// <param name="RequestBody">The JSON body sent.</param>
public sealed record WebhookDeliveryDto(
    long Id, Guid WebhookId, Guid EventId, string EventType, WebhookDeliveryStatus Status, int Attempts, DateTime CreatedAt, DateTime? NextAttemptAt,
    DateTime? LastAttemptAt, int? ResponseStatus, string? ResponseBody, string? Error, int? DurationMs, string RequestBody);

/// <summary>A page of the delivery log, newest first.</summary>
/// <param name="Items">The deliveries.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null on the last.</param>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryDto> Items, string? NextCursor);

/// <summary>How many deliveries a replay queued again.</summary>
/// <param name="Replayed">Deliveries queued for an attempt now.</param>
public sealed record WebhookReplayResult(int Replayed);

internal static class WebhookMapping
{
    public static WebhookDto ToDto(this WebhookSubscription s) =>
        new(s.Id, s.Url, s.Description, s.Events.Split(' ', StringSplitOptions.RemoveEmptyEntries), s.Status, s.FailingSince, s.LastSuccessAt, s.CreatedAt, s.UpdatedAt);
}
