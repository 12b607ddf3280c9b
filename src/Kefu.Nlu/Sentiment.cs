namespace Kefu.Nlu;

/// <summary>The mood of a message.</summary>
/// <param name="Score">From -1 (very negative) to 1 (very positive); 0 is neutral or unknown.</param>
/// <param name="IsAngry">True when the message is clearly angry or abusive: worth a priority flag or a hand-off.</param>
/// <param name="Cues">The lexicon entries and signals that matched (for explanations and tests).</param>
public sealed record SentimentResult(double Score, bool IsAngry, IReadOnlyList<string> Cues);

/// <summary>
/// Lexicon-based sentiment for Chinese and English customer messages. It does not understand text; it
/// spots complaint words, insults, swearing, shouting (capitals) and exclamation runs, with simple negation.
/// </summary>
public static class Sentiment
{
    // Weights: negative below zero; anger cues (weight ≤ -2) make a message angry on their own.
    private static readonly (string Cue, double Weight)[] Chinese =
    [
        ("投诉", -2), ("垃圾", -2), ("骗子", -2.5), ("骗人", -2), ("气死", -2.5), ("太差", -2), ("差劲", -1.5), ("坑人", -2),
        ("忽悠", -1.5), ("欺骗", -2), ("举报", -2), ("退钱", -1.5), ("恶心", -2), ("滚", -2), ("妈的", -2.5), ("他妈", -2.5),
        ("什么破", -2), ("破玩意", -2), ("无语", -1), ("失望", -1), ("生气", -1.5), ("愤怒", -2), ("太慢", -1), ("烂", -1),
        ("坑", -1), ("差评", -1.5), ("糟糕", -1), ("麻烦", -0.5), ("问题", -0.2), ("不行", -0.5), ("受不了", -1.5),
        ("谢谢", 1), ("感谢", 1), ("满意", 1), ("好评", 1), ("不错", 1), ("很好", 1), ("太好了", 1.5), ("棒", 1), ("赞", 1),
        ("喜欢", 1), ("辛苦", 0.5), ("好的", 0.3), ("解决了", 1),
    ];

    private static readonly (string Cue, double Weight)[] English =
    [
        ("angry", -2), ("furious", -2.5), ("terrible", -2), ("worst", -2), ("scam", -2.5), ("scammer", -2.5), ("fraud", -2),
        ("what the hell", -2.5), ("wtf", -2.5), ("the hell", -2), ("damn", -1.5), ("crap", -2), ("sucks", -2), ("stupid", -2),
        ("idiot", -2.5), ("idiots", -2.5), ("useless", -2), ("ridiculous", -2), ("unacceptable", -2), ("disgusting", -2),
        ("horrible", -2), ("awful", -2), ("pathetic", -2), ("rip off", -2), ("ripoff", -2), ("hate", -1.5), ("fuck", -3),
        ("fucking", -3), ("shit", -2.5), ("complaint", -1.5), ("complain", -1.5), ("lawyer", -1.5), ("sue", -1.5),
        ("incompetent", -2), ("disappointed", -1), ("annoyed", -1.5), ("frustrated", -1.5), ("bad", -1), ("slow", -0.5),
        ("problem", -0.2), ("wrong", -0.5),
        ("thanks", 1), ("thank", 1), ("great", 1), ("excellent", 1.5), ("awesome", 1.5), ("love", 1), ("perfect", 1.5),
        ("helpful", 1), ("appreciate", 1), ("good", 0.7), ("nice", 0.7), ("happy", 1), ("solved", 1),
    ];

    // Emoji say as much as words, in both languages; text normalisation drops them, so they are looked up
    // in the raw text. An angry face alone is angry (a visitor who sends only "🤬" wants a person).
    private static readonly (string Cue, double Weight)[] Emojis =
    [
        ("🤬", -3), ("😡", -2), ("😠", -2), ("💢", -2), ("🖕", -3), ("👎", -1), ("😤", -1), ("😞", -0.5), ("😢", -0.5),
        ("👍", 1), ("😊", 1), ("🙂", 0.5), ("😀", 1), ("😄", 1), ("🙏", 0.5), ("❤", 1), ("👌", 0.7), ("🥰", 1),
    ];

    private static readonly string[] EnglishNegators = ["not", "no", "never", "dont", "doesnt", "isnt", "wasnt", "arent", "didnt", "cant", "hardly"];
    private static readonly string[] ChineseNegators = ["不", "没", "别", "未"];

    /// <summary>Scores <paramref name="text"/>. Never throws; empty input is neutral.</summary>
    /// <param name="text">The visitor's message (raw: capitals and punctuation are signals).</param>
    public static SentimentResult Analyze(string? text)
    {
        var n = TextNormalizer.Normalize(text);
        var cues = new List<string>();
        double sum = 0;
        var anger = false;
        foreach (var (cue, weight) in Chinese)
        {
            for (var at = n.IndexOf(cue, StringComparison.Ordinal); at >= 0; at = n.IndexOf(cue, at + cue.Length, StringComparison.Ordinal))
            {
                // "不满意" is negative, but "不错" and "不满" are their own entries and never flipped.
                var negated = weight > 0 && cue != "不错" && at > 0 && ChineseNegators.Contains(n[at - 1].ToString());
                Add(cue, negated ? -weight : weight);
            }
        }

        var words = n.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var padded = " " + string.Join(' ', words) + " ";
        foreach (var (cue, weight) in English)
        {
            for (var at = padded.IndexOf(" " + cue + " ", StringComparison.Ordinal); at >= 0; at = padded.IndexOf(" " + cue + " ", at + 1, StringComparison.Ordinal))
            {
                Add(cue, IsNegatedEnglish(padded, at) ? -weight * 0.7 : weight);
            }
        }

        var raw = text is null ? string.Empty : text.Length > TextNormalizer.MaxInputLength ? text[..TextNormalizer.MaxInputLength] : text;
        foreach (var (cue, weight) in Emojis)
        {
            // Counted once per kind: "😡😡😡" is one angry face repeated, not three insults.
            if (raw.Contains(cue, StringComparison.Ordinal))
            {
                Add(cue, weight);
            }
        }

        AddShouting(raw);
        var score = Math.Clamp(sum / 3.0, -1, 1);
        return new SentimentResult(score, anger || score <= -0.7, cues);

        void Add(string cue, double weight)
        {
            cues.Add(cue);
            sum += weight;
            anger |= weight <= -2;
        }

        void AddShouting(string sample)
        {
            var bangs = sample.Count(c => c is '!' or '！');
            var upper = sample.Count(char.IsAsciiLetterUpper);
            var letters = sample.Count(char.IsAsciiLetter);
            if (bangs >= 3)
            {
                cues.Add("!!!");
                sum += sum < 0 ? -1.5 : -0.5;
            }

            if (letters >= 8 && upper >= 0.7 * letters)
            {
                // A whole message in capitals is shouting: as strong as an insult.
                cues.Add("CAPS");
                sum -= 2.1;
            }
        }
    }

    private static bool IsNegatedEnglish(string padded, int at)
    {
        // One of the two words before the cue is a negator: "not good", "not very good".
        var before = padded[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return before.Skip(Math.Max(0, before.Length - 2)).Any(w => EnglishNegators.Contains(w));
    }
}
