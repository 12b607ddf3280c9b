namespace Kefu.Nlu;

/// <summary>
/// A deliberately light English suffix stripper (plural -s/-es/-ies, -ing, -ed). Aggressive
/// stemmers merge words that customer-service intents must keep apart ("card"/"cards" is fine,
/// "transfer"/"transferred" is fine, "fee"/"feel" must not meet); the character n-grams cover the rest.
/// </summary>
internal static class Stemmer
{
    public static ReadOnlySpan<char> Stem(ReadOnlySpan<char> w)
    {
        if (w.Length <= 3 || !char.IsAsciiLetterLower(w[^1]))
        {
            return w;
        }

        if (w.EndsWith("ies") && w.Length > 4)
        {
            return w[..^3].ToString() + "y";
        }

        if (w.EndsWith("sses"))
        {
            return w[..^2];
        }

        if (w[^1] == 's' && w[^2] is not ('s' or 'u' or 'i'))
        {
            return w[..^1];
        }

        if (w.EndsWith("ing") && w.Length > 5)
        {
            return Undouble(w[..^3]);
        }

        if (w.EndsWith("ed") && w.Length > 4)
        {
            return Undouble(w[..^2]);
        }

        // "charge" meets "charged"/"charging" (both lose their ending above).
        return w[^1] == 'e' && w.Length > 4 && w[^2] != 'e' ? w[..^1] : w;
    }

    // "transferr" → "transfer", "topp" → "top", "cancell" → "cancel"; but "fill", "spell" and "pass" keep theirs.
    private static ReadOnlySpan<char> Undouble(ReadOnlySpan<char> w)
    {
        if (w.Length <= 3 || w[^1] != w[^2])
        {
            return w;
        }

        return w[^1] is not ('l' or 's' or 'z' or 'e' or 'o') || (w[^1] == 'l' && w[^3] == 'e' && w.Length > 5) ? w[..^1] : w;
    }
}
