using Kefu.Server.Features.Accounts.Access;
using Kefu.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kefu.Server.Console.Pages.Settings.People;

/// <summary>Names the people pages show for ids: roles (built-in ones localised), teams, inboxes, time zones.</summary>
internal static class PeopleLookups
{
    /// <summary>A built-in role in the reader's language (<c>Role_agent</c> …), a custom role by its name, an unknown id as is.</summary>
    public static string RoleName(IStringLocalizer text, IReadOnlyList<RoleDto> roles, string id) =>
        roles.FirstOrDefault(r => r.Id == id) is { } role ? role.BuiltIn ? text["PeopleRole_" + role.Id] : role.Name : id;

    public static async Task<Dictionary<Guid, string>> TeamNamesAsync(IDbContextFactory<KefuDbContext> dbs, Guid tenantId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        return await db.Teams.AsNoTracking().Where(t => t.TenantId == tenantId).OrderBy(t => t.Name).ToDictionaryAsync(t => t.Id, t => t.Name);
    }

    /// <summary>The inboxes a person can be given: archived ones are no longer a choice (a grant the person already holds stays as it is).</summary>
    public static async Task<Dictionary<Guid, string>> InboxNamesAsync(IDbContextFactory<KefuDbContext> dbs, Guid tenantId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        return await db.Inboxes.AsNoTracking().Where(i => i.TenantId == tenantId && i.ArchivedAt == null).OrderBy(i => i.Name).ToDictionaryAsync(i => i.Id, i => i.Name);
    }

    /// <summary>An error's text in the reader's language (<c>Error_{code}</c>), or its English message when none is written.</summary>
    public static string ErrorText(IStringLocalizer text, Hosting.KefuError error) =>
        text["Error_" + error.Code] is { ResourceNotFound: false } localized ? localized.Value : error.Message;

    /// <summary>The IANA zones this server knows, sorted, for the shift time zone picker.</summary>
    public static IReadOnlyList<string> TimeZones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC").Order(StringComparer.Ordinal)];
}
