using Kefu.Server.Features.Automation;

namespace Kefu.UnitTests.Automation;

public sealed class RuleMatcherTests
{
    private static readonly Guid Inbox = Guid.NewGuid();

    private static RuleFacts Facts(string text = "I want a refund", string[]? tags = null, string priority = "normal", string? intent = null, bool? open = null) =>
        new(Inbox, "webwidget", text, tags ?? ["vip"], priority, intent, open);

    private static CompiledRule Rule(bool any, params CompiledCondition[] conditions) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "r", "message_created", "visitor", 0, any, conditions, [new RuleAction("resolve", null)], Guid.NewGuid());

    private static CompiledCondition C(string field, string op, string value) =>
        new(field, op, value, op == "matches" ? RuleMatcher.Compile(value) : null);

    [Theory]
    [InlineData("text", "contains", "REFUND", true)]
    [InlineData("text", "not_contains", "refund", false)]
    [InlineData("text", "matches", @"\bref(und|unds)\b", true)]
    [InlineData("text", "matches", "^refund", false)]
    [InlineData("tag", "contains", "VIP", true)]
    [InlineData("tag", "not_contains", "vip", false)]
    [InlineData("priority", "equals", "normal", true)]
    [InlineData("priority", "not_equals", "normal", false)]
    [InlineData("channel", "equals", "WebWidget", true)]
    [InlineData("intent", "equals", "refund", false)]
    [InlineData("business_hours", "equals", "open", false)]
    public void Condition_IsTestedAgainstTheFacts(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, RuleMatcher.Test(C(field, op, value), Facts()));

    [Fact]
    public void Inbox_MatchesByIdOnly() =>
        Assert.Equal((true, false), (RuleMatcher.Test(C("inbox", "equals", Inbox.ToString()), Facts()), RuleMatcher.Test(C("inbox", "equals", Guid.NewGuid().ToString()), Facts())));

    [Fact]
    public void BusinessHours_UsesWhatRoutingSays_AndIsFalseWhenUnknown()
    {
        Assert.True(RuleMatcher.Test(C("business_hours", "equals", "closed"), Facts(open: false)));
        Assert.False(RuleMatcher.Test(C("business_hours", "equals", "closed"), Facts(open: null)));
    }

    [Fact]
    public void AllOf_NeedsEveryCondition_AnyOf_NeedsOne_NoConditionsAlwaysMatch()
    {
        var yes = C("text", "contains", "refund");
        var no = C("tag", "contains", "wholesale");
        Assert.False(RuleMatcher.Matches(Rule(false, yes, no), Facts()));
        Assert.True(RuleMatcher.Matches(Rule(true, no, yes), Facts()));
        Assert.False(RuleMatcher.Matches(Rule(true, no), Facts()));
        Assert.True(RuleMatcher.Matches(Rule(false), Facts()));
    }

    [Fact]
    public void TemplateLikeText_IsComparedLiterally_NeverEvaluated() =>
        Assert.True(RuleMatcher.Test(C("text", "contains", "{{7*7}}"), Facts(text: "total {{7*7}} @(1+1)")) &&
                    !RuleMatcher.Test(C("text", "contains", "49"), Facts(text: "total {{7*7}}")));

    [Theory]
    [InlineData(@"(a+)+\1")] // backreference: not linear-time
    [InlineData(@"(?<=a)b")] // lookbehind
    [InlineData("([a-z")] // does not parse
    public void PatternsThatCannotRunInLinearTime_DoNotCompile(string pattern) =>
        Assert.ThrowsAny<Exception>(() => RuleMatcher.Compile(pattern));

    [Fact]
    public void ARegexThatRunsOutOfTime_IsFalse_AndReported()
    {
        var slow = new CompiledCondition("text", "matches", "x", RuleMatcher.Compile(@"(\w+\s?)+!$", TimeSpan.FromTicks(1)));
        var timedOut = false;
        var text = string.Concat(Enumerable.Repeat("word ", 400_000));

        Assert.False(RuleMatcher.Test(slow, Facts(text: text), () => timedOut = true));
        Assert.True(timedOut);
    }

    [Theory]
    [InlineData("auto:2:0123456789abcdef0123456789abcdef:0011223344556677", 2)]
    [InlineData("v-123", 0)]
    [InlineData("auto:x:1", 0)]
    [InlineData(null, 0)]
    public void Depth_IsReadFromARulesMessageClientId(string? clientId, int depth) =>
        Assert.Equal(depth, AutomationRunner.DepthOf(clientId));
}
