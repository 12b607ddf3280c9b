using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary><c>GET /api/v1/contact-attributes</c>: the workspace's custom contact attributes, by key.</summary>
internal sealed class ListContactAttributes(IDbContextFactory<KefuDbContext> dbFactory)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/contact-attributes", async (HttpContext http, ListContactAttributes handler, CancellationToken ct) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId, ct)))
            .RequireAuthorization(AccessPolicies.For(Permission.Contacts))
            .WithName("ListContactAttributes")
            .WithTags("Contacts");

    public async Task<IReadOnlyList<ContactAttributeDefinitionDto>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<ContactAttributeDefinition>().AsNoTracking().Where(d => d.TenantId == tenantId).OrderBy(d => d.Key).ToListAsync(cancellationToken);
        return rows.ConvertAll(d => d.ToDto());
    }
}
