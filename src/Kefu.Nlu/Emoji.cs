using System.Globalization;
using System.Text;

namespace Kefu.Nlu;

/// <summary>Recognises messages made only of emoji ("👍", "😊😊", "🙏🏻"): a reaction, not a question.</summary>
public static class Emoji
{
    /// <summary>
    /// True when <paramref name="text"/> has at least one emoji or pictograph and nothing to read besides
    /// (whitespace, punctuation and the joiners, skin tones and variation selectors emoji are built from).
    /// Letters, digits, control characters and U+FFFD (a broken character) make it false: those are text or junk.
    /// </summary>
    /// <param name="text">The visitor's message as written.</param>
    public static bool IsOnlyEmoji(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > TextNormalizer.MaxInputLength)
        {
            return false;
        }

        var pictures = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0xFFFD)
            {
                return false;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.OtherSymbol:
                    pictures++;
                    break;
                case UnicodeCategory.ModifierSymbol or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                    or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator:
                case UnicodeCategory.OtherPunctuation or UnicodeCategory.DashPunctuation
                    or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation:
                    break;
                default:
                    // Letters, digits, controls and the rest: text to read, or junk.
                    if (!Rune.IsWhiteSpace(rune))
                    {
                        return false;
                    }

                    break;
            }
        }

        return pictures > 0;
    }
}
