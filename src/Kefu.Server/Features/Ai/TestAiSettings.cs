using Kefu.Server.Features.Accounts.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;

namespace Kefu.Server.Features.Ai;

/// <summary>The answer to the settings page's test button.</summary>
/// <param name="Outcome">ok, disabled (nothing saved yet), timeout, too_large, failed, invalid or over_budget.</param>
/// <param name="LatencyMs">How long the endpoint took.</param>
/// <param name="Reply">The start of the model's reply (at most 200 characters), when it answered.</param>
public sealed record AiTestResultDto(string Outcome, int LatencyMs, string? Reply);

/// <summary>
/// <c>POST /api/v1/workspace/ai/test</c> (settings permission): one small call with the saved settings, even while the
/// LLM is still off, so an admin can check the endpoint before turning it on. Counted in the cost log like any call.
/// </summary>
internal sealed class TestAiSettings(AiGateway gateway)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/workspace/ai/test", async Task<Ok<AiTestResultDto>> (HttpContext http, TestAiSettings handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .WithName("TestAiSettings")
            .WithTags("Ai")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<AiTestResultDto> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        IList<ChatMessage> messages =
        [
            new(ChatRole.System, "You are checking a connection. Reply with the single word OK."),
            new(ChatRole.User, "Connection check."),
        ];
        var reply = await gateway.CompleteAsync(tenantId, AiPurposes.Test, messages, cancellationToken, evenWhenOff: true);
        var text = reply.Text is { Length: > 200 } full ? full[..200] : reply.Text;
        return new AiTestResultDto(reply.Outcome, reply.LatencyMs, text);
    }
}
