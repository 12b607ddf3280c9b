using Kefu.Server.Hosting;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>The expected failures of masking settings and unmasking.</summary>
internal static class MaskingErrors
{
    /// <summary>A settings request without all four choices.</summary>
    public static readonly KefuError InvalidSettings = new("invalid_masking_settings",
        "identityNumbers, mobileNumbers, bankCards and emailAddresses must each be true or false.");

    /// <summary>No message with that Seq in the conversation.</summary>
    public static readonly KefuError MessageNotFound = new("message_not_found", "No such message.");
}
