namespace Kefu.Server.Features.Accounts.Privacy.Masking;

/// <summary>
/// How people group each kind of number when they type it with spaces or dashes. A run of groups is
/// a candidate only in one of these shapes: "2026 1130 1380 0138 000" holds the digits of a mobile
/// number across its groups, but nobody writes a mobile number 4-4-3.
/// </summary>
internal static class NumberFormats
{
    /// <summary>18, or 6-8-4 (region, birth date, sequence and check).</summary>
    public static bool IsIdentityGrouping(ReadOnlySpan<int> groups) =>
        groups is [18] || groups is [6, 8, 4];

    /// <summary>11, 3-4-4 or 3-8, after a country code typed alone (86) or glued to the number (8613800138000).</summary>
    public static bool IsMobileGrouping(ReadOnlySpan<int> groups, int countryCodeDigits)
    {
        if (countryCodeDigits > 0)
        {
            if (groups is [13])
            {
                return true;
            }

            if (groups.Length < 2 || groups[0] != countryCodeDigits)
            {
                return false;
            }

            groups = groups[1..];
        }

        return groups is [11] || groups is [3, 4, 4] || groups is [3, 8];
    }

    /// <summary>One run; fours with a shorter last group (4-4-4-4, 4-4-4-4-3); 4-6-5 or 4-6-4 (Amex, Diners); 6 and the rest.</summary>
    public static bool IsCardGrouping(ReadOnlySpan<int> groups)
    {
        if (groups.Length == 1 || groups is [4, 6, 5] || groups is [4, 6, 4] || groups is [6, _])
        {
            return true;
        }

        for (var i = 0; i < groups.Length - 1; i++)
        {
            if (groups[i] != 4)
            {
                return false;
            }
        }

        return groups[^1] is >= 1 and <= 4;
    }
}
