using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.SignIn;

/// <summary>The workspace's sign-in rules.</summary>
/// <param name="RequireTwoFactor">
/// Every password sign-in needs a second factor; a user without one must enrol before anything else works.
/// Single sign-on is exempt: the identity provider owns the second factor.
/// </param>
public sealed record WorkspaceSecurityDto(bool RequireTwoFactor);

/// <summary><c>GET /api/v1/workspace/security</c> (the Settings permission): the workspace's sign-in rules.</summary>
internal sealed class GetWorkspaceSecurity(KefuDbContext db)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/workspace/security", async Task<Ok<WorkspaceSecurityDto>> (HttpContext http, GetWorkspaceSecurity handler) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!.TenantId)))
            .WithName("GetWorkspaceSecurity")
            .WithTags("Workspace")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<WorkspaceSecurityDto> HandleAsync(Guid tenantId) =>
        new(await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.RequireTwoFactor).FirstOrDefaultAsync());
}

/// <summary>
/// <c>PUT /api/v1/workspace/security</c> (the Settings permission): sets the workspace's sign-in rules, audited. Turning "require
/// two-factor" on takes effect at the next request of every session: users without a second factor are sent to
/// enrol (the admin too, if they have none).
/// </summary>
internal sealed class SetWorkspaceSecurity(KefuDbContext db, IAuditLog audit)
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPut("/workspace/security", async Task<Ok<WorkspaceSecurityDto>> (WorkspaceSecurityDto request, HttpContext http, SetWorkspaceSecurity handler) =>
                TypedResults.Ok(await handler.HandleAsync(AgentIdentity.From(http.User)!, request)))
            .WithName("SetWorkspaceSecurity")
            .WithTags("Workspace")
            .RequireAuthorization(AccessPolicies.For(Permission.Settings));

    public async Task<WorkspaceSecurityDto> HandleAsync(AgentIdentity admin, WorkspaceSecurityDto request)
    {
        var tenant = await db.Tenants.SingleAsync(t => t.Id == admin.TenantId);
        if (tenant.RequireTwoFactor != request.RequireTwoFactor)
        {
            tenant.RequireTwoFactor = request.RequireTwoFactor;
            audit.Add(db, new AuditRecord(AuditActions.SettingChanged, "workspace", tenant.Id.ToString(),
                $"require_two_factor={(request.RequireTwoFactor ? "on" : "off")}")
            {
                TenantId = admin.TenantId,
                ActorId = admin.UserId,
                ActorName = admin.DisplayName,
            });
            await db.SaveChangesAsync();
        }

        return new WorkspaceSecurityDto(tenant.RequireTwoFactor);
    }
}
