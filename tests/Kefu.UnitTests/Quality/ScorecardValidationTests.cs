using Kefu.Server.Features.Quality;
using Kefu.Server.Features.Quality.Contracts;

namespace Kefu.UnitTests.Quality;

/// <summary>Bad scorecards are refused by code and field before anything is built; big lists are matched fast.</summary>
public sealed class ScorecardValidationTests
{
    private static ScorecardRequest Card(params ScorecardItem[] items) => new("QA", null, items);

    [Theory]
    [InlineData(0, "items[0].weight")]
    [InlineData(-1, "items[0].weight")]
    [InlineData(1001, "items[0].weight")]
    [InlineData(double.NaN, "items[0].weight")]
    public void Weights_MustBePositive_AndAtMost1000(double weight, string field)
    {
        var error = ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.CsatAnswered, weight)));
        Assert.Equal(("invalid_scorecard", field), (error?.Code, error?.Field));
    }

    [Fact]
    public void AnUnknownRule_AHundredThousandPhrases_AndPatternsTheEngineCannotRunWithoutBacktracking_AreRefused()
    {
        Assert.Equal("unknown_rule", ScorecardValidation.Validate(Card(new ScorecardItem("be_nice", 1)))?.Code);

        var many = Enumerable.Range(0, 100_000).Select(i => "词" + i).ToList();
        var tooMany = ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenWords, 1, null, new(Phrases: many))));
        Assert.Equal(("too_many_phrases", "items"), (tooMany?.Code, tooMany?.Field));

        var backreference = ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenPattern, 1, null, new(Pattern: @"(a+)\1"))));
        Assert.Equal(("invalid_pattern", "items[0].parameters.pattern"), (backreference?.Code, backreference?.Field));
        Assert.Equal("invalid_pattern", ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenPattern, 1, null, new(Pattern: "(?<=a)b"))))?.Code);
        Assert.Equal("invalid_pattern", ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenPattern, 1, null, new(Pattern: "(unclosed"))))?.Code);
        Assert.Null(ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenPattern, 1, null, new(Pattern: "^(a+)+$")))));

        Assert.Equal("invalid_scorecard", ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.Greeting, 1, null, new(Seconds: 0))))?.Code);
        Assert.Equal("invalid_scorecard", ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.ForbiddenWords, 1)))?.Code);
        Assert.Equal("invalid_scorecard", ScorecardValidation.Validate(Card())?.Code);
        Assert.Equal("invalid_scorecard", ScorecardValidation.Validate(Card(new ScorecardItem(QualityRules.RequiredPhrase, 1, null, new(Scope: "middle"))))?.Code);
    }

    [Fact]
    public void TheLargestAllowedList_IsBuiltOnce_AndMatchesLikeANaiveSearch()
    {
        var random = new Random(7);
        const string alphabet = "abcde差评投诉";
        string Word(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var terms = Enumerable.Range(0, QualityLimits.MaxPhrases).Select(_ => Word(4, 9)).Distinct().ToList();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var matcher = new TermMatcher(terms);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"built in {started.Elapsed}");
        for (var i = 0; i < 2_000; i++)
        {
            var text = Word(0, 40);
            var naive = terms.Any(t => text.Contains(t, StringComparison.Ordinal));
            Assert.Equal(naive, matcher.FindFirst(text) is not null);
        }

        // Overlapping terms (the classic he / she / his / hers): a suffix of another term is found through failure links.
        var classic = new TermMatcher(["he", "she", "his", "hers"]);
        Assert.Equal("she", classic.FindFirst("ushers"));
        Assert.Equal("his", new TermMatcher(["hers", "his"]).FindFirst("ahishers"));
        Assert.Null(classic.FindFirst("xyz"));
    }
}
