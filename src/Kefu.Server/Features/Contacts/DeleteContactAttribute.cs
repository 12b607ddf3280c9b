using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Features.Contacts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Contacts;

/// <summary><c>DELETE /api/v1/contact-attributes/{id}</c> (settings permission): removes an attribute and every contact's value of it; audited.</summary>
internal sealed class DeleteContactAttribute(IDbContextFactory<KefuDbContext> dbFactory, IAccessControl access, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapDelete("/contact-attributes/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, HttpContext http, DeleteContactAttribute handler, CancellationToken ct) =>
                await handler.HandleAsync(AgentIdentity.From(http.User)!, id, ct) is { } error ? KefuProblems.Problem(error) : TypedResults.NoContent())
            .RequireAuthorization(AccessPolicies.For(Permission.Settings))
            .WithName("DeleteContactAttribute")
            .WithTags("Contacts")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public async Task<KefuError?> HandleAsync(AgentIdentity caller, Guid id, CancellationToken cancellationToken)
    {
        if (!await access.AllowsAsync(caller, Permission.Settings, cancellationToken))
        {
            return ContactErrors.Forbidden;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var definition = await db.Set<ContactAttributeDefinition>().FirstOrDefaultAsync(d => d.Id == id && d.TenantId == caller.TenantId, cancellationToken);
        if (definition is null)
        {
            return new KefuError("contact_attribute_not_found", "No such contact attribute.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<ContactAttributeValue>().Where(v => v.DefinitionId == id).ExecuteDeleteAsync(cancellationToken);
        db.Remove(definition);
        audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "contact_attribute", id.ToString(), "contactAttribute=deleted").By(caller));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
