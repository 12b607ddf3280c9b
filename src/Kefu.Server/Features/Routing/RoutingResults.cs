using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Features.Routing.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Routing;

/// <summary>Problem details for routing errors: 404 not found, 409 for a state conflict, 403 forbidden, else 400.</summary>
internal static class RoutingResults
{
    public static ProblemHttpResult Problem(KefuError error) => TypedResults.Problem(
        statusCode: Status(error),
        title: error.Message,
        type: "https://kefu.dev/problems/" + error.Code.Replace('_', '-'),
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static int Status(KefuError error) => error.Code switch
    {
        _ when error.Code.EndsWith("_not_found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        "agent_offline" or "agent_at_capacity" or "already_assigned" or "not_queued" => StatusCodes.Status409Conflict,
        "forbidden" => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };

    public static HubResult<T> Hub<T>((T? Value, KefuError? Error) result) =>
        result.Error is null ? HubResult<T>.Success(result.Value!) : HubResult<T>.Failure(result.Error);
}
