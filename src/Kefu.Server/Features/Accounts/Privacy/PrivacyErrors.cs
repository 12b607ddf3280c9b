using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.Privacy;

/// <summary>Expected failures of retention and data subject requests.</summary>
internal static class PrivacyErrors
{
    public static readonly KefuError InboxNotFound = new("inbox_not_found", "No such inbox in this workspace.");
    public static readonly KefuError ContactNotFound = new("contact_not_found", "No such contact in this workspace.");
    public static readonly KefuError DaysOutOfRange = new("retention_days_invalid", "Days must be between 1 and 3650, or null to keep conversations for ever.");
    public static readonly KefuError ModeInvalid = new("retention_mode_invalid", "Mode must be 'delete' or 'anonymise'.");
}
