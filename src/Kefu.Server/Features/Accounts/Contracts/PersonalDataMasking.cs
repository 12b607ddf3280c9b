namespace Kefu.Server.Features.Accounts.Contracts;

/// <summary>A kind of personal data that masking recognises.</summary>
public enum PersonalDataKind
{
    /// <summary>A mainland China resident identity card number (18 characters, checksum-validated).</summary>
    IdentityNumber,

    /// <summary>A mainland China mobile number (11 digits, optionally with +86).</summary>
    Mobile,

    /// <summary>A payment card number (13–19 digits, Luhn-validated, a known issuer prefix).</summary>
    BankCard,

    /// <summary>An e-mail address; masked only when the workspace enables it.</summary>
    Email,
}

/// <summary>
/// One original value taken out of a text by masking, already encrypted for its workspace. Only the
/// masking feature can decrypt it; the message path stores it beside the message as it is.
/// </summary>
/// <param name="Position">Order of the value in the text (0, 1, …).</param>
/// <param name="Kind">What was found.</param>
/// <param name="Start">Where the masked form starts in the masked text (UTF-16 index).</param>
/// <param name="Length">Length of the masked form in the masked text.</param>
/// <param name="Cipher">The original value, encrypted (ASP.NET Data Protection, a purpose bound to the workspace).</param>
internal sealed record ProtectedValue(int Position, PersonalDataKind Kind, int Start, int Length, string Cipher);

/// <summary>A text as it may be stored and shown, and the originals it no longer holds.</summary>
/// <param name="Text">The text with every detected value in its masked form; the input itself when nothing was found.</param>
/// <param name="Originals">Null when nothing was masked.</param>
internal readonly record struct MaskedText(string Text, IReadOnlyList<ProtectedValue>? Originals);

/// <summary>
/// Masks personal data at ingest, by the workspace's settings. Every writer of messages and contact
/// fields calls it before storing: what is stored, shown, searched and sent on is the masked text.
/// </summary>
internal interface IPersonalDataMasking
{
    /// <summary>
    /// The text to store. A text with no candidate (fewer than 11 digits and no <c>@</c>) returns
    /// synchronously, as itself, without allocating.
    /// </summary>
    ValueTask<MaskedText> MaskAsync(Guid tenantId, string text, CancellationToken cancellationToken);
}
