using Kefu.Server.Features.Conversations.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Features.Conversations;

/// <summary>Turns a typed <see cref="KefuError"/> into RFC 7807 problem details.</summary>
internal static class ErrorResults
{
    public static ProblemHttpResult Problem(KefuError error) => TypedResults.Problem(
        statusCode: error.Code.EndsWith("_not_found", StringComparison.Ordinal) ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
        title: error.Message,
        type: "https://kefu.dev/problems/" + error.Code.Replace('_', '-'),
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });
}
