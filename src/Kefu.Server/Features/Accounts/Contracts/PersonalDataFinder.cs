using Kefu.Server.Features.Accounts.Privacy.Masking;

namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>Masking's detectors for other features that must know whether a text holds personal data (quality inspection).</summary>
internal static class PersonalDataFinder
{
    /// <summary>True when <paramref name="text"/> holds a mobile, identity card or payment card number (checksums validated).</summary>
    public static bool ContainsNumber(string text) =>
        PersonalDataDetector.MayContain(text) &&
        PersonalDataDetector.Find(text, MaskingKinds.IdentityNumber | MaskingKinds.Mobile | MaskingKinds.BankCard).Count > 0;
}
