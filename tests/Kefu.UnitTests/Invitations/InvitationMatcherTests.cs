using Kefu.Server.Features.Invitations;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.UnitTests.Invitations;

public sealed class InvitationMatcherTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    private static InvitationRule Rule(int position = 0, string? url = null, int? seconds = null, int? pages = null, bool? returning = null, string? tag = null,
        string? key = null, string? value = null, string? language = null, bool hours = false, int cap = 60, int dismiss = 1440) =>
        new()
        {
            Id = Guid.NewGuid(), Position = position, Name = "r" + position, TextEn = "Hi", TextZh = "你好", UrlPattern = url, MinSecondsOnPage = seconds,
            MinPagesVisited = pages, Returning = returning, Tag = tag, AttributeKey = key, AttributeValue = value, Language = language, DuringBusinessHours = hours,
            CapMinutes = cap, DismissMinutes = dismiss,
        };

    private static VisitContext Visit(string url = "https://shop.example/pricing?plan=pro", int seconds = 0, int pages = 1, bool returning = false, string language = "en",
        string[]? tags = null, Dictionary<string, string>? attributes = null, bool inside = true) =>
        new(url, seconds, pages, returning, language, (tags ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase), attributes ?? [], inside);

    private static readonly InvitationHistory Fresh = new(null, null, false);

    [Theory]
    [InlineData("/pricing", "https://shop.example/pricing?plan=pro", true)]
    [InlineData("/PRICING", "https://shop.example/pricing", true)]
    [InlineData("/pricing", "https://shop.example/about/pricing", false)]
    [InlineData("*/pricing*", "https://shop.example/about/pricing", true)]
    [InlineData("/products/*/reviews", "https://shop.example/products/42/reviews", true)]
    [InlineData("/products/*/reviews", "https://shop.example/products/42/reviews/2", false)]
    [InlineData("https://shop.example/", "https://shop.example/cart", true)]
    [InlineData("https://other.example/", "https://shop.example/cart", false)]
    [InlineData("*checkout*", "https://shop.example/cart/checkout/step-2", true)]
    [InlineData("/a*b*c*d", "https://x.example/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false)]
    public void UrlPattern_IsAGlobOrAPrefix(string pattern, string url, bool expected) => Assert.Equal(expected, UrlPattern.Matches(pattern, url));

    [Fact]
    public void UrlPattern_WithManyStars_OnALongUrl_AnswersInLinearishTime()
    {
        var url = "https://x.example/" + new string('a', 2000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(UrlPattern.Matches("/*a*a*a*b", url));
        Assert.True(watch.ElapsedMilliseconds < 500, "the glob matcher must not backtrack without bound");
    }

    [Fact]
    public void TimeOnPage_NotYetReached_AnswersWhenToCheckAgain_ThenMatches()
    {
        var rules = new[] { Rule(seconds: 30) };

        Assert.Equal(((InvitationRule?)null, (int?)20), InvitationMatcher.Choose(rules, Visit(seconds: 10), Fresh, Now));
        Assert.Same(rules[0], InvitationMatcher.Choose(rules, Visit(seconds: 30), Fresh, Now).Rule);
    }

    [Fact]
    public void EachCondition_MustHold()
    {
        Assert.Null(InvitationMatcher.Choose([Rule(pages: 3)], Visit(pages: 2), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(pages: 3)], Visit(pages: 3), Fresh, Now).Rule);
        Assert.Null(InvitationMatcher.Choose([Rule(returning: true)], Visit(returning: false), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(returning: false)], Visit(returning: false), Fresh, Now).Rule);
        Assert.Null(InvitationMatcher.Choose([Rule(tag: "vip")], Visit(tags: ["wholesale"]), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(tag: "vip")], Visit(tags: ["VIP"]), Fresh, Now).Rule);
        Assert.Null(InvitationMatcher.Choose([Rule(key: "plan", value: "pro")], Visit(attributes: new() { ["plan"] = "free" }), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(key: "plan", value: "pro")], Visit(attributes: new() { ["plan"] = "pro" }), Fresh, Now).Rule);
        Assert.Null(InvitationMatcher.Choose([Rule(language: "zh")], Visit(language: "en"), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(language: "zh")], Visit(language: "zh"), Fresh, Now).Rule);
        Assert.Null(InvitationMatcher.Choose([Rule(hours: true)], Visit(inside: false), Fresh, Now).Rule);
        Assert.NotNull(InvitationMatcher.Choose([Rule(hours: true)], Visit(inside: true), Fresh, Now).Rule);
    }

    [Fact]
    public void TheFirstMatchingRuleInOrder_Wins_AndADisabledOneIsSkipped()
    {
        var late = Rule(position: 2);
        var early = Rule(position: 1, url: "/pricing");
        var off = Rule(position: 0);
        off.Enabled = false;

        Assert.Same(early, InvitationMatcher.Choose([late, off, early], Visit(), Fresh, Now).Rule);
        Assert.Same(late, InvitationMatcher.Choose([late, off, early], Visit(url: "https://shop.example/"), Fresh, Now).Rule);
    }

    [Fact]
    public void Cap_OncePerNMinutes_NotAfterADismissalForM_NeverDuringAConversation()
    {
        var rule = Rule(cap: 10, dismiss: 60);
        var shown = Now;

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(InvitationMatcher.CapAllows(rule, new(shown, null, false), Now));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(InvitationMatcher.CapAllows(rule, new(shown, null, false), Now));

        var dismissed = Now;
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(InvitationMatcher.CapAllows(rule, new(shown, dismissed, false), Now));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(InvitationMatcher.CapAllows(rule, new(shown, dismissed, false), Now));

        Assert.False(InvitationMatcher.CapAllows(rule, new(null, null, ConversationOpen: true), Now));
        Assert.Equal(((InvitationRule?)null, (int?)null), InvitationMatcher.Choose([Rule(seconds: 30)], Visit(seconds: 5), new(null, null, true), Now));
    }

    [Theory]
    [InlineData("""{"name":"","textEn":"a","textZh":"b"}""", "rules[0].name")]
    [InlineData("""{"name":"n","textEn":"","textZh":"b"}""", "rules[0].textEn")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","urlPattern":"/a b"}""", "rules[0].urlPattern")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","urlPattern":"/*a*b*c*d*e"}""", "rules[0].urlPattern")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","minSecondsOnPage":3601}""", "rules[0].minSecondsOnPage")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","minPagesVisited":0}""", "rules[0].minPagesVisited")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","attributeKey":"plan"}""", "rules[0].attributeValue")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","language":"fr"}""", "rules[0].language")]
    [InlineData("""{"name":"n","textEn":"a","textZh":"b","capMinutes":0}""", "rules[0].capMinutes")]
    public void Validation_NamesTheField(string json, string field)
    {
        var rule = System.Text.Json.JsonSerializer.Deserialize<InvitationRuleRequest>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var error = InvitationRuleValidation.Check([rule]);
        Assert.Equal(("invalid_invitation_rule", field), (error?.Code, error?.Field));
    }
}
