using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.People;

/// <summary>The expected failures of managing people: each names the request field at fault, so forms show it beside the field.</summary>
internal static class PeopleErrors
{
    public static readonly KefuError AgentNotFound = new("agent_not_found", "No such agent.");

    /// <summary>Nobody changes someone who holds permissions they lack, or hands out more than they hold.</summary>
    public static readonly KefuError Forbidden = new("forbidden", "You can only manage people whose permissions you hold yourself.");

    public static readonly KefuError EmailTaken = new("email_taken", "An agent with this e-mail exists.") { Field = "email" };

    public static readonly KefuError EmailInvalid = new("invalid_request", "email must be an e-mail address of at most 256 characters.") { Field = "email" };

    public static readonly KefuError NameInvalid = new("invalid_request", "displayName must be 1-100 characters, without control characters.") { Field = "displayName" };

    public static readonly KefuError RoleInvalid = new("invalid_request", "role must be agent, supervisor, admin or the id of a custom role of this workspace.") { Field = "role" };

    public static readonly KefuError MailNotConfigured = new("mail_not_configured", "Mail is not configured on this server (Kefu:Mail): set an initial password instead.") { Field = "password" };

    public static readonly KefuError MailFailed = new("mail_failed", "The invitation could not be sent; nothing was saved. Check the mail settings and try again.");

    public static readonly KefuError AlreadyJoined = new("agent_already_joined", "This agent has set a password already: there is nothing to invite them to.");

    public static readonly KefuError InvitationInvalid = new("invitation_invalid", "The invitation link is wrong, used or expired; ask for a new one.");

    public static readonly KefuError SelfDeactivation = new("cannot_deactivate_self", "You cannot deactivate yourself.");

    public static KefuError WeakPassword(IEnumerable<string> reasons) => new("weak_password", string.Join(' ', reasons)) { Field = "password" };
}
