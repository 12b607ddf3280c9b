using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Hosting;

/// <summary>
/// The one mapping of a <see cref="KefuError"/> to RFC 7807 problem details: the status follows from the code
/// (<c>*_not_found</c> 404, <c>forbidden</c>, <c>insufficient_scope</c> and <c>two_factor_enrolment_required</c> 403,
/// <c>two_factor_required</c> 401, state conflicts 409, <c>idempotency_key_reused</c>, <c>invalid_attribute_value</c> and <c>unknown_attribute</c>, <c>canned_attachments_too_many</c> and <c>canned_attachment_type_not_allowed</c> 422, <c>rate_limited</c> and <c>server_busy</c> 429,
/// <c>service_unavailable</c> 503,
/// <c>attachment_too_large</c> 413, <c>upload_timeout</c> 408, anything else 400),
/// the type is <c>https://kefu.dev/problems/{code}</c>; the code, and the field at fault when there is one, are
/// extensions for clients.
/// </summary>
internal static class KefuProblems
{
    private static readonly HashSet<string> Conflicts = new(StringComparer.Ordinal)
    {
        "agent_offline", "agent_at_capacity", "already_assigned", "not_queued", "role_in_use", "last_admin", "role_name_taken", "two_factor_already_enabled",
        "inbox_has_open_conversations",
        "email_taken", "team_name_taken", "team_in_use", "agent_already_joined",
        "conversation_resolved", "not_snoozed",
        "idempotency_key_in_use", "api_key_limit_reached",
        "survey_closed", "survey_recently_sent", "survey_template_name_taken",
        "contact_already_merged", "merge_identity_conflict", "contact_attribute_key_taken", "ticket_field_key_taken", "ticket_changed",
        "ticket_field_in_use",
    };

    public static ProblemHttpResult Problem(KefuError error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.RetryAfterSeconds is { } seconds)
        {
            extensions["retryAfterSeconds"] = seconds;
        }

        if (error.Field is { } field)
        {
            extensions["field"] = field;
        }

        return TypedResults.Problem(
            statusCode: Status(error),
            title: error.Message,
            type: "https://kefu.dev/problems/" + error.Code.Replace('_', '-'),
            extensions: extensions);
    }

    /// <summary>As <see cref="Problem(KefuError)"/>, and a <c>Retry-After</c> header when the error carries a wait.</summary>
    public static ProblemHttpResult Problem(KefuError error, HttpResponse response)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Problem(error);
    }

    public static int Status(KefuError error) => error.Code switch
    {
        _ when error.Code.EndsWith("_not_found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        "forbidden" => StatusCodes.Status403Forbidden,
        "insufficient_scope" => StatusCodes.Status403Forbidden,
        "idempotency_key_reused" => StatusCodes.Status422UnprocessableEntity,
        "invalid_attribute_value" or "unknown_attribute" => StatusCodes.Status422UnprocessableEntity,
        "invalid_invitation_rule" => StatusCodes.Status422UnprocessableEntity,
        "invalid_ticket_field" or "unknown_ticket_field" or "ticket_field_required" or "ticket_field_option_in_use" or "ticket_field_archived" => StatusCodes.Status422UnprocessableEntity,
        "two_factor_enrolment_required" => StatusCodes.Status403Forbidden,
        "two_factor_required" => StatusCodes.Status401Unauthorized,
        KefuError.RateLimitedCode => StatusCodes.Status429TooManyRequests,
        KefuError.ServerBusyCode => StatusCodes.Status429TooManyRequests,
        KefuError.ServiceUnavailableCode => StatusCodes.Status503ServiceUnavailable,
        "ai_unavailable" => StatusCodes.Status503ServiceUnavailable,
        "attachment_too_large" => StatusCodes.Status413PayloadTooLarge,
        "canned_attachments_too_many" or "canned_attachment_type_not_allowed" => StatusCodes.Status422UnprocessableEntity,
        "upload_timeout" => StatusCodes.Status408RequestTimeout,
        _ when Conflicts.Contains(error.Code) => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };
}
