using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.Access;

/// <summary>Typed failures of role and scope management.</summary>
internal static class AccessErrors
{
    public static readonly KefuError RoleNotFound = new("role_not_found", "No such role.");
    public static readonly KefuError AgentNotFound = new("agent_not_found", "No such agent.");
    public static readonly KefuError BeyondOwn = new("forbidden", "You can only grant, or change people holding, permissions you hold yourself.");
    public static readonly KefuError RoleInUse = new("role_in_use", "Agents hold this role: give them another role first.");
    public static readonly KefuError LastAdmin = new("last_admin", "The workspace must keep at least one active agent with every permission.");
    public static readonly KefuError RoleNameTaken = new("role_name_taken", "A role with this name exists.");

    public static KefuError Invalid(string message) => new("invalid_request", message);
}
