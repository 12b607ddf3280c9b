using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Bot.Contracts;
using Kefu.Server.Features.Conversations.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Bot;

/// <summary><c>GET /api/v1/conversations/{id}/handoff</c>: the newest hand-off packet of a conversation (404 when the bot never handed it off).</summary>
internal sealed class GetHandoffPacket(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/conversations/{id:guid}/handoff", async Task<Results<Ok<HandoffPacketDto>, NotFound>> (
                Guid id, HttpContext http, GetHandoffPacket handler, IConversationAccess access, CancellationToken ct) =>
                await access.CheckReadAsync(AgentIdentity.From(http.User)!, id, ct) is null &&
                await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, id, ct) is { } dto ? TypedResults.Ok(dto) : TypedResults.NotFound())
            .WithName("GetHandoffPacket")
            .WithTags("Bot");

    public async Task<HandoffPacketDto?> HandleAsync(Guid tenantId, Guid conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var data = await db.HandoffPackets.AsNoTracking()
            .Where(p => p.ConversationId == conversationId && p.TenantId == tenantId)
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Select(p => p.Data).FirstOrDefaultAsync(cancellationToken);
        return data is null ? null : JsonSerializer.Deserialize<HandoffPacketDto>(data, HandoffPacketBuilder.Json);
    }
}
