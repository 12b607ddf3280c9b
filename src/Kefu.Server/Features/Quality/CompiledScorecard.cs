using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kefu.Server.Features.Quality.Contracts;

namespace Kefu.Server.Features.Quality;

/// <summary>One item ready to run: its definition and its matchers, built once.</summary>
internal sealed record CompiledItem(int Index, ScorecardItem Item, TermMatcher? Phrases, Regex? Pattern)
{
    public string Label => string.IsNullOrWhiteSpace(Item.Label) ? Item.Rule : Item.Label;
}

/// <summary>A scorecard version ready to run: built once per version and kept (<see cref="ScorecardCache"/>).</summary>
internal sealed class CompiledScorecard
{
    /// <summary>A user pattern runs without backtracking (linear in the text) and, as a second guard, with this timeout.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    public CompiledScorecard(Guid scorecardId, Guid versionId, int version, string name, Guid? inboxId, IReadOnlyList<ScorecardItem> items)
    {
        (ScorecardId, VersionId, Version, Name, InboxId) = (scorecardId, versionId, version, name, inboxId);
        Items = [.. items.Select((item, i) => new CompiledItem(i, item,
            item.Parameters?.Phrases is { Count: > 0 } phrases ? new TermMatcher(phrases) : DefaultPhrases(item.Rule),
            item.Rule == QualityRules.ForbiddenPattern && item.Parameters?.Pattern is { } p ? CreatePattern(p) : null))];
    }

    public Guid ScorecardId { get; }
    public Guid VersionId { get; }
    public int Version { get; }
    public string Name { get; }
    public Guid? InboxId { get; }
    public IReadOnlyList<CompiledItem> Items { get; }

    /// <summary>Throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for a pattern the engine cannot run without backtracking.</summary>
    public static Regex CreatePattern(string pattern) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, PatternTimeout);

    private static readonly TermMatcher Greetings = new(["您好", "你好", "欢迎", "hello", "hi ", "hi,", "hi!", "welcome", "good morning", "good afternoon"]);
    private static readonly TermMatcher Confirmations = new(["解决了", "好了", "可以了", "明白了", "谢谢", "感谢", "solved", "resolved", "that works", "thank", "thanks"]);
    private static readonly TermMatcher Empathies = new(["抱歉", "不好意思", "理解您", "非常理解", "给您带来", "sorry", "apologi", "understand", "i hear you"]);
    private static readonly TermMatcher Closings = new(["还有其他", "还有什么", "祝您", "再见", "anything else", "have a nice", "have a great", "goodbye", "bye"]);

    private static TermMatcher? DefaultPhrases(string rule) => rule switch
    {
        QualityRules.Greeting => Greetings,
        QualityRules.ResolutionConfirmed => Confirmations,
        QualityRules.Empathy => Empathies,
        QualityRules.RequiredPhrase => Closings,
        _ => null,
    };
}

/// <summary>Compiled scorecard versions by id; a version never changes, so an entry never goes stale.</summary>
internal sealed class ScorecardCache
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<Guid, CompiledScorecard> _compiled = new();

    public CompiledScorecard Get(Guid versionId, Func<CompiledScorecard> build)
    {
        if (_compiled.TryGetValue(versionId, out var found))
        {
            return found;
        }

        if (_compiled.Count >= MaxEntries)
        {
            _compiled.Clear(); // rebuilding costs milliseconds; an unbounded cache of old versions costs memory
        }

        return _compiled.GetOrAdd(versionId, _ => build());
    }
}
