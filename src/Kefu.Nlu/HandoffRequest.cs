namespace Kefu.Nlu;

/// <summary>Detects a visitor asking for a human agent ("转人工", "talk to a real person"…), so the bot hands over at once.</summary>
public static class HandoffRequest
{
    // Normalised (simplified, lower-case) Chinese cues, matched as substrings.
    private static readonly string[] ChineseCues =
    [
        "人工", "真人", "客服", "活人", "工作人员", "接线员", "坐席", "专员", "找个人", "找人工", "有人吗", "有没有人",
    ];

    // Negations that, right before a cue, mean the opposite ("不要人工", "don't need an agent").
    private static readonly string[] ChineseNegations = ["不要", "不用", "不需要", "别", "无需", "不想"];

    // English cues on word boundaries of the normalised text (apostrophes removed). Strong cues count in a
    // short message on their own ("agent", "human please"); every cue counts next to a verb of asking.
    private static readonly string[] StrongCues =
    [
        "agent", "human", "humans", "real person", "live person", "operator", "representative", "live chat",
        "live support", "customer service", "customer support",
    ];

    private static readonly string[] WeakCues = ["someone", "somebody", "a person", "person", "rep", "staff", "support team", "anyone"];

    private static readonly string[] EnglishNegations = ["dont need", "dont want", "no need for", "not a", "no"];

    // Short verbs of asking, so "agent" in "my travel agent booked it" is not enough on its own in a long message.
    private static readonly string[] EnglishAsks = ["talk", "speak", "chat", "connect", "transfer", "want", "need", "get", "give", "call", "contact", "reach"];

    /// <summary>True when <paramref name="text"/> asks for a human. Never throws.</summary>
    /// <param name="text">The visitor's message.</param>
    public static bool IsRequest(string? text)
    {
        var n = TextNormalizer.Normalize(text);
        if (n.Length == 0)
        {
            return false;
        }

        foreach (var cue in ChineseCues)
        {
            for (var at = n.IndexOf(cue, StringComparison.Ordinal); at >= 0; at = n.IndexOf(cue, at + 1, StringComparison.Ordinal))
            {
                if (!ChineseNegations.Any(neg => EndsBefore(n, at, neg)))
                {
                    return true;
                }
            }
        }

        var padded = " " + n + " ";
        var words = n.Split(' ');
        var asks = words.Any(w => EnglishAsks.Contains(w));
        foreach (var cue in StrongCues.Concat(WeakCues))
        {
            for (var at = padded.IndexOf(" " + cue + " ", StringComparison.Ordinal); at >= 0; at = padded.IndexOf(" " + cue + " ", at + 1, StringComparison.Ordinal))
            {
                if (EnglishNegations.Any(neg => EndsBefore(padded, at, " " + neg)) || EnglishNegations.Any(neg => EndsBefore(padded, at, " " + neg + " a")))
                {
                    continue;
                }

                // A short message that is mostly the cue ("agent", "human please") or one that asks for it.
                if (asks || (words.Length <= 4 && StrongCues.Contains(cue)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool EndsBefore(string text, int index, string prefix) =>
        index >= prefix.Length && string.CompareOrdinal(text, index - prefix.Length, prefix, 0, prefix.Length) == 0;
}
