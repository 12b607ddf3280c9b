using System.Buffers;
using System.Text;
using Kefu.Server.Features.Accounts.Contracts;

namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>Which kinds a workspace masks.</summary>
[Flags]
internal enum MaskingKinds
{
    None = 0,
    IdentityNumber = 1,
    Mobile = 2,
    BankCard = 4,
    Email = 8,
}

/// <summary>One value found in a text: where it was, and the form that replaces it.</summary>
/// <param name="Start">Start of the original in the input text.</param>
/// <param name="Length">Length of the original in the input text.</param>
/// <param name="Masked">What the stored text holds instead (<c>138****5678</c>).</param>
internal readonly record struct Detection(PersonalDataKind Kind, int Start, int Length, string Masked);

/// <summary>
/// Finds mainland identity numbers, mobile numbers, payment card numbers and e-mail addresses in free
/// text. Precision matters more than recall: a masked order number confuses agents and customers, so
/// every number must pass its checksum (ISO 7064 MOD 11-2 for identity numbers, Luhn and a known
/// issuer prefix for cards), stand apart from other letters and digits, and, when typed in groups,
/// be grouped the way people write that kind of number. A digit run longer than any kind (an order
/// number) never yields a match inside it.
/// </summary>
internal static class PersonalDataDetector
{
    /// <summary>Fewest digits of any number kind (a mobile number); a text with fewer holds none.</summary>
    public const int MinDigits = 11;

    private const int MaxDigits = 19;
    private const int MaxGroups = 8;

    // ASCII and full-width digits (Chinese input methods type the latter), and '@' for e-mail addresses.
    private static readonly SearchValues<char> Candidates = SearchValues.Create("0123456789０１２３４５６７８９@");

    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCheckChars = "10X98765432";

    // Province-level region codes (GB/T 2260), and 81–83 for Hong Kong, Macao and Taiwan residence permits.
    private static readonly HashSet<int> Regions =
        [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83];

    /// <summary>
    /// Whether the text may hold anything to mask: at least <see cref="MinDigits"/> digits, or an '@'.
    /// The first candidate is found with a vectorised search, and nothing is allocated.
    /// </summary>
    public static bool MayContain(ReadOnlySpan<char> text)
    {
        // One vectorised search per candidate character, at most MinDigits of them: a text with a
        // few digits ("order 12345") costs a handful of searches, never a walk over every character.
        var digits = 0;
        int i;
        while ((i = text.IndexOfAny(Candidates)) >= 0)
        {
            if (text[i] == '@' || ++digits >= MinDigits)
            {
                return true;
            }

            text = text[(i + 1)..];
        }

        return false;
    }

    /// <summary>Every value of the enabled kinds, in text order, not overlapping.</summary>
    public static List<Detection> Find(string text, MaskingKinds kinds)
    {
        var found = new List<Detection>();
        if (kinds.HasFlag(MaskingKinds.Email))
        {
            FindEmails(text, found);
        }

        var emails = found.Count;
        if ((kinds & (MaskingKinds.IdentityNumber | MaskingKinds.Mobile | MaskingKinds.BankCard)) != 0)
        {
            FindNumbers(text, kinds, found);
        }

        // A number that is part of an e-mail address (13800138000@example.com) goes with the address.
        if (emails > 0 && found.Count > emails)
        {
            found.RemoveAll(d => d.Kind != PersonalDataKind.Email && found.Take(emails).Any(e => d.Start < e.Start + e.Length && e.Start < d.Start + d.Length));
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    /// <summary>The text with each detection replaced by its masked form.</summary>
    public static string Apply(string text, IReadOnlyList<Detection> detections)
    {
        if (detections.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var d in detections)
        {
            builder.Append(text, at, d.Start - at).Append(d.Masked);
            at = d.Start + d.Length;
        }

        return builder.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>0–9 for an ASCII or full-width digit, -1 otherwise.</summary>
    internal static int DigitValue(char c) =>
        c is >= '0' and <= '9' ? c - '0' : c is >= '０' and <= '９' ? c - '０' : -1;

    /// <summary>Letters and digits glue to a number: "SN13800138000" or "A6222…" is a code, not personal data.</summary>
    private static bool IsWordChar(char c) => DigitValue(c) >= 0 || char.IsAsciiLetter(c) || c is >= 'Ａ' and <= 'ｚ';

    private static bool IsSeparator(char c) => c is ' ' or '-' or '\u3000';

    private static void FindNumbers(string text, MaskingKinds kinds, List<Detection> found)
    {
        Span<int> starts = stackalloc int[MaxGroups];
        Span<int> ends = stackalloc int[MaxGroups];
        var i = 0;
        while (i < text.Length)
        {
            if (DigitValue(text[i]) < 0)
            {
                i++;
                continue;
            }

            var groups = Token(text, i, starts, ends);
            var leftOk = i == 0 || !IsWordChar(text[i - 1]);
            var last = ends[groups - 1];
            var rightOk = last == text.Length || !IsWordChar(text[last]);
            MatchGroups(text, kinds, starts[..groups], ends[..groups], leftOk, rightOk, found);
            i = last;
            while (i < text.Length && IsWordChar(text[i]))
            {
                i++; // the rest of a glued word ("…1234abc5678") is not a new number
            }
        }
    }

    /// <summary>Digit groups separated by one space or dash; an X may end the last group (identity numbers).</summary>
    private static int Token(string text, int i, Span<int> starts, Span<int> ends)
    {
        var count = 0;
        while (true)
        {
            var start = i;
            while (i < text.Length && DigitValue(text[i]) >= 0)
            {
                i++;
            }

            var x = i < text.Length && text[i] is 'X' or 'x' && (i + 1 == text.Length || !IsWordChar(text[i + 1]));
            if (x)
            {
                i++;
            }

            starts[count] = start;
            ends[count] = i;
            count++;
            if (x || count == MaxGroups || i + 1 >= text.Length || !IsSeparator(text[i]) || DigitValue(text[i + 1]) < 0)
            {
                return count;
            }

            i++;
        }
    }

    private static void MatchGroups(string text, MaskingKinds kinds, ReadOnlySpan<int> starts, ReadOnlySpan<int> ends, bool leftOk, bool rightOk, List<Detection> found)
    {
        Span<int> lengths = stackalloc int[starts.Length];
        for (var g = 0; g < starts.Length; g++)
        {
            lengths[g] = ends[g] - starts[g];
        }

        for (var a = 0; a < starts.Length; a++)
        {
            if (a == 0 && !leftOk)
            {
                continue;
            }

            for (var b = starts.Length - 1; b >= a; b--)
            {
                if (b == starts.Length - 1 && !rightOk)
                {
                    continue;
                }

                if (Match(text, kinds, starts[a], ends[b], lengths[a..(b + 1)]) is { } detection)
                {
                    found.Add(detection);
                    a = b;
                    break;
                }
            }
        }
    }

    private static Detection? Match(string text, MaskingKinds kinds, int start, int end, ReadOnlySpan<int> groups)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        Span<int> positions = stackalloc int[MaxDigits];
        var count = 0;
        for (var i = start; i < end; i++)
        {
            var value = text[i] is 'X' or 'x' ? 10 : DigitValue(text[i]);
            if (value < 0)
            {
                continue;
            }

            if (count == MaxDigits)
            {
                return null;
            }

            positions[count] = i;
            digits[count++] = (byte)value;
        }

        digits = digits[..count];
        if (kinds.HasFlag(MaskingKinds.IdentityNumber) && NumberFormats.IsIdentityGrouping(groups) && IsIdentityNumber(digits))
        {
            return new Detection(PersonalDataKind.IdentityNumber, start, end - start, MaskIdentity(digits));
        }

        if (kinds.HasFlag(MaskingKinds.Mobile) && MobileOffset(digits, groups) is { } offset)
        {
            // A country code stays as typed; only the national number is replaced.
            var from = positions[offset];
            return new Detection(PersonalDataKind.Mobile, from, end - from, MaskMobile(digits[offset..]));
        }

        if (kinds.HasFlag(MaskingKinds.BankCard) && NumberFormats.IsCardGrouping(groups) && IsCardNumber(digits))
        {
            return new Detection(PersonalDataKind.BankCard, start, end - start, MaskCard(digits, grouped: groups.Length > 1));
        }

        return null;
    }

    /// <summary>18 characters: a known region, a real birth date, and the ISO 7064 MOD 11-2 check character.</summary>
    internal static bool IsIdentityNumber(ReadOnlySpan<byte> d)
    {
        if (d.Length != 18 || d[..17].IndexOf((byte)10) >= 0 || !Regions.Contains(d[0] * 10 + d[1]))
        {
            return false;
        }

        var year = Number(d[6..10]);
        var month = Number(d[10..12]);
        var day = Number(d[12..14]);
        if (year is < 1900 or > 2099 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += d[i] * IdWeights[i];
        }

        var check = IdCheckChars[sum % 11];
        return check == 'X' ? d[17] == 10 : d[17] == check - '0';
    }

    /// <summary>Where the national number starts (0, or 2 after a typed 86), or null when this is no mobile number.</summary>
    private static int? MobileOffset(ReadOnlySpan<byte> d, ReadOnlySpan<int> groups)
    {
        var offset = d.Length == 13 && d[0] == 8 && d[1] == 6 ? 2 : d.Length == 11 ? 0 : -1;
        if (offset < 0 || !NumberFormats.IsMobileGrouping(groups, offset) || d[offset..].IndexOf((byte)10) >= 0)
        {
            return null;
        }

        return d[offset] == 1 && d[offset + 1] >= 3 ? offset : null;
    }

    /// <summary>13–19 digits, Luhn-valid, starting like a card of a real scheme (UnionPay, Visa, Mastercard, Amex, JCB, Diners, Discover).</summary>
    internal static bool IsCardNumber(ReadOnlySpan<byte> d)
    {
        if (d.Length is < 13 or > MaxDigits || d.IndexOf((byte)10) >= 0 || !KnownIssuer(d))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < d.Length; i++)
        {
            var value = d[d.Length - 1 - i];
            if (i % 2 == 1)
            {
                value *= 2;
                if (value > 9)
                {
                    value -= 9;
                }
            }

            sum += value;
        }

        return sum % 10 == 0;
    }

    private static bool KnownIssuer(ReadOnlySpan<byte> d)
    {
        var two = d[0] * 10 + d[1];
        var four = Number(d[..4]);
        return d[0] is 3 or 4 or 5 or 6
            || four is >= 2221 and <= 2720
            || two == 95 && d.Length == 19; // older domestic debit cards (95599…)
    }

    private static int Number(ReadOnlySpan<byte> d)
    {
        var n = 0;
        foreach (var b in d)
        {
            n = n * 10 + b;
        }

        return n;
    }

    private static string MaskMobile(ReadOnlySpan<byte> d) => $"{Digits(d[..3])}****{Digits(d[7..])}";

    private static string MaskIdentity(ReadOnlySpan<byte> d) => $"{Digits(d[..6])}********{Digits(d[14..])}";

    /// <summary>
    /// Typed in groups: <c>6222 **** **** 1234</c>. Typed as one run: as many stars as hidden digits
    /// (<c>6222********1234</c>), so the stored text is no longer than the typed one.
    /// </summary>
    private static string MaskCard(ReadOnlySpan<byte> d, bool grouped) =>
        grouped ? $"{Digits(d[..4])} **** **** {Digits(d[^4..])}" : string.Concat(Digits(d[..4]), new string('*', d.Length - 8), Digits(d[^4..]));

    private static string Digits(ReadOnlySpan<byte> d)
    {
        Span<char> chars = stackalloc char[d.Length];
        for (var i = 0; i < d.Length; i++)
        {
            chars[i] = d[i] == 10 ? 'X' : (char)('0' + d[i]);
        }

        return new string(chars);
    }

    private static void FindEmails(string text, List<Detection> found)
    {
        var at = text.IndexOf('@');
        while (at >= 0)
        {
            var end = at + 1;
            if (EmailAt(text, at) is { } email)
            {
                found.Add(email);
                end = email.Start + email.Length;
            }

            at = end < text.Length ? text.IndexOf('@', end) : -1;
        }
    }

    private static Detection? EmailAt(string text, int at)
    {
        var start = at;
        while (start > 0 && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        while (start < at && text[start] == '.')
        {
            start++;
        }

        var end = at + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
        {
            end++;
        }

        while (end > at + 1 && text[end - 1] is '.' or '-')
        {
            end--;
        }

        var domain = text.AsSpan(at + 1, end - at - 1);
        var dot = domain.LastIndexOf('.');
        if (start == at || dot <= 0 || domain.Length - dot - 1 < 2 || domain.Contains("..", StringComparison.Ordinal) ||
            domain[0] is '.' or '-' || !IsLetters(domain[(dot + 1)..]))
        {
            return null;
        }

        return new Detection(PersonalDataKind.Email, start, end - start, string.Concat(text.AsSpan(start, 1), "***@", domain));
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsLetters(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
