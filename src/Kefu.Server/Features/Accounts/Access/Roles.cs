using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>A role as the API shows it. Built-in roles have ids <c>agent</c>, <c>supervisor</c>, <c>admin</c>; custom roles their GUID.</summary>
/// <param name="Id">Role id.</param>
/// <param name="Name">Display name (built-in names are localised by clients from the id).</param>
/// <param name="BuiltIn">True for the three fixed roles, which cannot be edited.</param>
/// <param name="Permissions">Permission names in camelCase, e.g. <c>conversationsAll</c>.</param>
/// <param name="Agents">How many active agents hold it.</param>
public sealed record RoleDto(string Id, string Name, bool BuiltIn, IReadOnlyList<string> Permissions, int Agents);

/// <summary>A custom role to create or replace.</summary>
/// <param name="Name">1–60 characters, unique in the workspace.</param>
/// <param name="Permissions">Permission names (camelCase); at most those the caller holds.</param>
public sealed record RoleRequest(string? Name, IReadOnlyList<string>? Permissions);

/// <summary>Role lookups and rules shared by the role and agent-access use cases.</summary>
internal static class Roles
{
    /// <summary>Every single permission, in declaration order.</summary>
    public static readonly Permission[] All = [.. Enum.GetValues<Permission>().Where(p => p != Permission.None)];

    public static IReadOnlyList<string> Names(Permission permissions) =>
        [.. All.Where(p => (permissions & p) == p).Select(Name)];

    public static string Name(Permission p) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.ToString());

    /// <summary>Parses permission names; null with the first unknown name.</summary>
    public static (Permission Value, string? Unknown) Parse(IEnumerable<string> names)
    {
        var value = Permission.None;
        foreach (var name in names)
        {
            if (!Enum.TryParse<Permission>(name, ignoreCase: true, out var p) || !All.Contains(p))
            {
                return (Permission.None, name);
            }

            value |= p;
        }

        return (value, null);
    }

    /// <summary>True when <paramref name="wanted"/> grants nothing <paramref name="held"/> lacks: nobody hands out more than they have.</summary>
    public static bool Within(Permission wanted, Permission held) => (wanted & ~held) == Permission.None;

    /// <summary>A role reference (<c>agent</c>, <c>supervisor</c>, <c>admin</c> or a custom role's id) resolved in the workspace.</summary>
    public static async Task<(AgentRole BuiltIn, Guid? Custom, Permission Permissions)?> ResolveAsync(
        KefuDbContext db, Guid tenantId, string? reference, CancellationToken ct)
    {
        if (Enum.TryParse<AgentRole>(reference, ignoreCase: true, out var builtIn) && Enum.IsDefined(builtIn) && !Guid.TryParse(reference, out _))
        {
            return (builtIn, null, BuiltInRoles.Of(builtIn));
        }

        if (Guid.TryParse(reference, out var id) &&
            await db.CustomRoles.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.TenantId == tenantId, ct) is { } custom)
        {
            return (AgentRole.Agent, custom.Id, custom.Permissions);
        }

        return null;
    }

    /// <summary>Validates a role request; the cleaned name and permissions, or the error.</summary>
    public static (string Name, Permission Permissions, KefuError? Error) Validate(RoleRequest request, Permission held)
    {
        var name = SafeText.SingleLine(request.Name);
        if (name.Length is 0 or > 60)
        {
            return ("", Permission.None, AccessErrors.Invalid("name must be 1-60 characters, without control characters.") with { Field = "name" });
        }

        if (Enum.TryParse<AgentRole>(name, ignoreCase: true, out _))
        {
            return ("", Permission.None, AccessErrors.Invalid("name must differ from the built-in roles.") with { Field = "name" });
        }

        var (permissions, unknown) = Parse(request.Permissions ?? []);
        if (unknown is not null)
        {
            return ("", Permission.None, AccessErrors.Invalid($"Unknown permission '{SafeText.SingleLine(unknown)[..Math.Min(40, SafeText.SingleLine(unknown).Length)]}'.") with { Field = "permissions" });
        }

        return Within(permissions, held) ? (name, permissions, null) : ("", Permission.None, AccessErrors.BeyondOwn with { Field = "permissions" });
    }
}
