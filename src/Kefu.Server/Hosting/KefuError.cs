using System.Text.Json.Serialization;

namespace Kefu.Server.Hosting;

/// <summary>
/// A typed, expected failure, shared by every capability. Hubs return it in <see cref="HubResult{T}"/>; HTTP maps it
/// to problem details (<see cref="KefuProblems"/>). Each capability defines its own in its <c>Contracts/</c>
/// (<c>ConversationErrors</c>, <c>RoutingErrors</c> …); the generic ones are here.
/// </summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>conversation_not_found</c>.</param>
/// <param name="Message">English explanation for developers; clients show their own localized text per code.</param>
/// <param name="RetryAfterSeconds">For <c>rate_limited</c>, <c>server_busy</c> and <c>service_unavailable</c>: whole seconds to wait before trying again (absent otherwise).</param>
public sealed record KefuError(string Code, string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfterSeconds = null)
{
    /// <summary>
    /// For a request that is invalid in one field: the field's camelCase name as the request spells it
    /// (<c>capacity</c>, <c>allowedOrigins</c>). Problem details carry it as <c>field</c>, and console forms show the
    /// error next to that field. Null when the error is not about one field.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; init; }

    /// <summary>The code of <see cref="RateLimited"/>.</summary>
    public const string RateLimitedCode = "rate_limited";

    /// <summary>The code of <see cref="ServerBusy"/>.</summary>
    public const string ServerBusyCode = "server_busy";

    /// <summary>The code of <see cref="ServiceUnavailable"/>.</summary>
    public const string ServiceUnavailableCode = "service_unavailable";

    /// <summary>The request is missing or malformed.</summary>
    public static readonly KefuError InvalidRequest = new("invalid_request", "The request is missing or malformed.");

    /// <summary>A paging argument out of range.</summary>
    public static readonly KefuError InvalidRange = new("invalid_range", "afterSeq must be >= 0 and limit between 1 and 500.");

    /// <summary>The sender sent too many messages too quickly; nothing was stored. Try again after <see cref="RetryAfterSeconds"/>.</summary>
    public static KefuError RateLimited(TimeSpan wait) =>
        new(RateLimitedCode, "Too many messages; wait before sending more.", RetryAfter.Seconds(wait));

    /// <summary>
    /// The server has more writes waiting than it takes on (<c>Kefu:Database:MaxPendingWrites</c>); nothing was
    /// stored. Unlike <see cref="RateLimited"/> this is about everyone's load, not the sender's pace: resend the same
    /// message (same client id) after <see cref="RetryAfterSeconds"/>.
    /// </summary>
    public static readonly KefuError ServerBusy = new(ServerBusyCode, "The server is busy; nothing was stored. Send again shortly.", 1);

    /// <summary>
    /// The database could not be reached (a restart, a failover, a network cut); nothing was acknowledged. Resend the
    /// same message (same client id) after <see cref="RetryAfterSeconds"/>: if it was committed after all, the resend
    /// returns the first ack.
    /// </summary>
    public static readonly KefuError ServiceUnavailable = new(ServiceUnavailableCode, "The database is unavailable; try again shortly.", 2);
}

/// <summary>The result of a hub call: either <see cref="Value"/> or <see cref="Error"/>.</summary>
/// <typeparam name="T">Value type.</typeparam>
/// <param name="Ok">True on success.</param>
/// <param name="Value">The value when <see cref="Ok"/>.</param>
/// <param name="Error">The typed error when not <see cref="Ok"/>.</param>
public sealed record HubResult<T>(bool Ok, T? Value, KefuError? Error)
{
    /// <summary>Success.</summary>
    public static HubResult<T> Success(T value) => new(true, value, null);

    /// <summary>Failure.</summary>
    public static HubResult<T> Failure(KefuError error) => new(false, default, error);

    /// <summary>A use case's (value, error) pair as a hub result.</summary>
    public static HubResult<T> From((T? Value, KefuError? Error) result) =>
        result.Error is null ? Success(result.Value!) : Failure(result.Error);
}
