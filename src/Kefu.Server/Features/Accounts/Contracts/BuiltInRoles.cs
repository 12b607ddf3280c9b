namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>The permissions of the three built-in roles. They cannot be edited; a workspace that wants another set defines a custom role.</summary>
public static class BuiltInRoles
{
    /// <summary>Answers conversations: sees all of its inboxes' conversations, acts in its own, edits contacts.</summary>
    public const Permission Agent =
        Permission.ConversationsAssigned | Permission.ConversationsTeam | Permission.ConversationsAll | Permission.Contacts | Permission.Tickets;

    /// <summary>
    /// An agent who also runs the floor: queues, reassignment, reports, knowledge, and their people (skills, capacity,
    /// teams, onboarding agents) — never beyond their own permissions, so never an admin.
    /// </summary>
    public const Permission Supervisor = Agent | Permission.Supervise | Permission.Reports | Permission.Knowledge | Permission.ContactsExport | Permission.People;

    /// <summary>Everything.</summary>
    public const Permission Admin = (Permission)((1L << 14) - 1);

    /// <summary>The permissions of a built-in role.</summary>
    public static Permission Of(AgentRole role) => role switch
    {
        AgentRole.Admin => Admin,
        AgentRole.Supervisor => Supervisor,
        _ => Agent,
    };
}
