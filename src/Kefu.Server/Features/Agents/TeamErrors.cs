using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Agents;

/// <summary>The expected failures of managing teams, each naming the request field at fault.</summary>
internal static class TeamErrors
{
    public static readonly KefuError NameInvalid = new("invalid_setting", "name must be 1-100 characters, without control characters.") { Field = "name" };

    // Not a field error: the form says which name clashes, where the field text would only repeat the length rule.
    public static readonly KefuError NameTaken = new("team_name_taken", "A team with this name exists.");

    public static readonly KefuError MembersInvalid = new("invalid_setting", "agentIds must be at most 1,000 agents of this workspace.") { Field = "agentIds" };

    public static KefuError InUse(int inboxes, int waiting) =>
        new("team_in_use", $"{inboxes} inboxes route to this team and {waiting} conversations wait for it: change those inboxes' routing and let the queue empty first.");
}
