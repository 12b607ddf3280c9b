using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Webhooks;

/// <summary>The events a webhook may subscribe to: the durable event catalogue, one name each.</summary>
public static class WebhookEventNames
{
    /// <summary>Every subscribable event name, sorted. A rule's webhook event goes to the webhook the rule names, so it is not subscribable.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. ConversationEventCatalogue.Names.Where(n => n != AutomationWebhookRequested.Name).Order(StringComparer.Ordinal)];

    /// <summary>True for a name of <see cref="All"/>.</summary>
    public static bool Exists(string name) => ConversationEventCatalogue.TypeOf(name) is not null && name != AutomationWebhookRequested.Name;
}

/// <summary>The limits of a webhook subscription, for the API and the console alike.</summary>
internal static class WebhookRules
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 200;
    public const int MaxPerWorkspace = 20;
    public const int StoredResponseChars = 2000;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>The events, checked and normalised (distinct, catalogue order); or the error on <c>events</c>.</summary>
    public static (string? Events, KefuError? Error) Events(IReadOnlyList<string>? events)
    {
        var names = (events ?? []).Select(e => e?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            return (null, WebhookErrors.Invalid("events", "Choose at least one event."));
        }

        if (names.FirstOrDefault(n => !WebhookEventNames.Exists(n)) is { } unknown)
        {
            return (null, WebhookErrors.Invalid("events", $"Unknown event '{unknown[..Math.Min(unknown.Length, 64)]}'. GET /api/v1/webhooks/events lists them."));
        }

        return (string.Join(' ', WebhookEventNames.All.Where(names.Contains)), null);
    }

    /// <summary>The description, trimmed; or the error on <c>description</c>.</summary>
    public static (string? Description, KefuError? Error) Description(string? description)
    {
        var text = description?.Trim() ?? "";
        return text.Length > MaxDescriptionLength || text.Any(char.IsControl)
            ? (null, WebhookErrors.Invalid("description", $"The description is at most {MaxDescriptionLength} characters on one line."))
            : (text, null);
    }

    /// <summary>The page size asked for, or the error on <c>pageSize</c>.</summary>
    public static KefuError? PageSize(int? pageSize) =>
        pageSize is null or (>= 1 and <= MaxPageSize) ? null : WebhookErrors.Invalid("pageSize", $"pageSize must be 1 to {MaxPageSize}.");
}

/// <summary>What the webhook endpoints answer when they refuse.</summary>
internal static class WebhookErrors
{
    public static readonly KefuError NotFound = new("webhook_not_found", "No such webhook.");
    public static readonly KefuError DeliveryNotFound = new("webhook_delivery_not_found", "No such delivery.");
    public static readonly KefuError Forbidden = new("forbidden", "You may not change this.");
    public static readonly KefuError TooMany = new("webhook_limit_reached", $"A workspace has at most {WebhookRules.MaxPerWorkspace} webhooks.");

    /// <summary>A field of the request is wrong; <paramref name="field"/> names it.</summary>
    public static KefuError Invalid(string field, string message) => new("invalid_webhook", message) { Field = field };
}
