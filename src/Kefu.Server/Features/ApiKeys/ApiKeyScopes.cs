using System.Text.Json;
using Kefu.Server.Features.Accounts.Contracts;
using Kefu.Server.Hosting;

namespace Kefu.Server.Features.ApiKeys;

/// <summary>
/// What a key's scopes mean. A key holds an access level (read, write, admin) and a set of permissions, the same
/// per-feature <see cref="Permission"/>s roles are made of. At each request the key may do what both allow and what
/// the person who created it may still do: never more than its creator, now.
/// </summary>
internal static class ApiKeyScopes
{
    /// <summary>Workspace administration: only an admin key may hold these.</summary>
    public const Permission AdminOnly = Permission.Settings | Permission.People | Permission.Privacy | Permission.UnmaskPersonalData;

    /// <summary>Every single permission, in declaration order.</summary>
    public static readonly Permission[] All = [.. Enum.GetValues<Permission>().Where(p => p != Permission.None)];

    /// <summary>
    /// Routes of a person's own account (password, sessions, two-factor, language, alerts, their bell, their presence)
    /// and the keys themselves: a key acts for a workspace, never as the person who made it, and cannot make keys.
    /// </summary>
    private static readonly string[] PersonalRoutes =
        ["/api/v1/account", "/api/v1/auth", "/api/v1/agents/me", "/api/v1/notifications", "/api/v1/api-keys"];

    public static string Name(Permission p) => JsonNamingPolicy.CamelCase.ConvertName(p.ToString());

    public static IReadOnlyList<string> Names(Permission permissions) => [.. All.Where(p => (permissions & p) == p).Select(Name)];

    /// <summary>The access level named in a request (<c>read</c>, <c>write</c>, <c>admin</c>); null when unknown.</summary>
    public static ApiKeyAccess? ParseAccess(string? value) =>
        Enum.TryParse<ApiKeyAccess>(value, ignoreCase: true, out var access) && Enum.IsDefined(access) && !int.TryParse(value, out _) ? access : null;

    /// <summary>Checks a new key's scopes against the creator's permissions now; the permissions, or why not.</summary>
    public static (Permission Value, KefuError? Error) Validate(ApiKeyAccess access, IReadOnlyList<string>? names, Permission held)
    {
        var value = Permission.None;
        foreach (var name in names ?? [])
        {
            if (!Enum.TryParse<Permission>(name, ignoreCase: true, out var p) || !All.Contains(p))
            {
                return (Permission.None, ApiKeyErrors.UnknownPermission(SafeText.SingleLine(name)));
            }

            value |= p;
        }

        if (value == Permission.None)
        {
            return (value, ApiKeyErrors.PermissionsEmpty);
        }

        if ((value & ~held) != Permission.None)
        {
            return (value, ApiKeyErrors.BeyondOwn);
        }

        return access == ApiKeyAccess.Write && (value & AdminOnly) != Permission.None ? (value, ApiKeyErrors.AdminOnly) : (value, null);
    }

    /// <summary>Null when a key of <paramref name="access"/> may make this request at all; otherwise why not.</summary>
    public static KefuError? Check(ApiKeyAccess access, string method, PathString path)
    {
        if (PersonalRoutes.Any(route => path.StartsWithSegments(route, StringComparison.OrdinalIgnoreCase)))
        {
            return ApiKeyErrors.NotForKeys;
        }

        return access == ApiKeyAccess.Read && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) ? ApiKeyErrors.InsufficientScope : null;
    }
}
