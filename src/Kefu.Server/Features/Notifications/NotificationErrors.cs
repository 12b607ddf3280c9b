using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Notifications;

/// <summary>Typed errors of the bell's API. Each changes nothing.</summary>
public static class NotificationErrors
{
    /// <summary>No such line among the caller's own (another agent's line is not found either).</summary>
    public static readonly KefuError NotificationNotFound = new("notification_not_found", "No such notification.");

    /// <summary>The caller is no longer an active agent.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "Only active agents have notifications.");

    /// <summary>A field is malformed; <see cref="KefuError.Field"/> names it.</summary>
    /// <param name="field">The camelCase request field.</param>
    /// <param name="message">What is wrong, in English for developers.</param>
    public static KefuError Invalid(string field, string message) => new KefuError("invalid_notification_request", message) with { Field = field };
}
