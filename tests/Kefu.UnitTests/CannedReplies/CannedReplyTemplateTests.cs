using Kefu.Server.Features.CannedReplies;
using Kefu.Server.Features.CannedReplies.Contracts;

namespace Kefu.UnitTests.CannedReplies;

public sealed class CannedReplyTemplateTests
{
    private static readonly TemplateValues Values = new("Wang Fang", "wang@example.com", "Agent Li", "c-42", "Shop");

    [Fact]
    public void Fill_ReplacesEveryAllowedVariable_IgnoringSpacesAndCase()
    {
        var filled = CannedReplyTemplate.Fill("{{contact.name}} {{ Contact.Email }} {{agent.name}} {{conversation.id}} {{inbox.name}}", Values);

        Assert.Equal("Wang Fang wang@example.com Agent Li c-42 Shop", filled.Text);
        Assert.Empty(filled.Unfilled);
    }

    [Theory]
    [InlineData("{{7*7}}")]
    [InlineData("@(1+1)")]
    [InlineData("${x}")]
    [InlineData("{{contact.name | upcase}}")]
    [InlineData("{{#each x}}{{/each}}")]
    [InlineData("{{{contact.name}}}")]
    [InlineData("<script>alert(1)</script>")]
    public void Fill_NeverEvaluatesTemplateSyntax_ItStaysLiteral(string text)
    {
        var filled = CannedReplyTemplate.Fill(text, Values);

        Assert.Equal(text.Replace("{{{contact.name}}}", "{Wang Fang}", StringComparison.Ordinal), filled.Text);
    }

    [Fact]
    public void Fill_LeavesUnknownAndEmptyVariablesVisible_AndFlagsEachOnce()
    {
        var filled = CannedReplyTemplate.Fill("{{7*7}} {{contact.email}} {{contact.attributes.vip}} {{contact.email}}", Values with { ContactEmail = null });

        Assert.Equal("{{7*7}} {{contact.email}} {{contact.attributes.vip}} {{contact.email}}", filled.Text);
        Assert.Equal(["{{7*7}}", "{{contact.email}}", "{{contact.attributes.vip}}"], filled.Unfilled);
    }

    [Fact]
    public void Fill_NeverReadsAFilledValueAsATemplate()
    {
        var filled = CannedReplyTemplate.Fill("Hi {{contact.name}}", Values with { ContactName = "{{agent.name}} ${x}" });

        Assert.Equal("Hi {{agent.name}} ${x}", filled.Text);
        Assert.Empty(filled.Unfilled);
    }

    [Fact]
    public void UnknownVariables_NamesOnlyThoseOutsideTheAllowlist()
    {
        Assert.Equal(["{{7*7}}", "{{ contact.phone }}"], CannedReplyTemplate.UnknownVariables("{{contact.name}} {{7*7}} {{ contact.phone }} {{7*7}} @(1+1) ${x}"));
        Assert.Empty(CannedReplyTemplate.UnknownVariables(null));
    }

    [Theory]
    [InlineData("refund", "refund")]
    [InlineData(" /Refund ", "Refund")]
    [InlineData("退货", "退货")]
    [InlineData("ship-2_fast", "ship-2_fast")]
    [InlineData("", null)]
    [InlineData("/", null)]
    [InlineData("two words", null)]
    [InlineData("a/b", null)]
    [InlineData("{{x}}", null)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", null)]
    public void NormalizeShortcut_AllowsLettersDigitsUnderscoreAndHyphen_DroppingOneLeadingSlash(string input, string? expected) =>
        Assert.Equal(expected, CannedReplyRules.NormalizeShortcut(input));

    [Fact]
    public void ShortcutKey_MakesShortcutsUniqueWhateverTheirCase_AndScopesApart()
    {
        Assert.Equal(CannedReplyRules.ShortcutKey("Refund"), CannedReplyRules.ShortcutKey("REFUND"));
        var owner = Guid.NewGuid();
        Assert.NotEqual(CannedReplyRules.ScopeKey(CannedReplyScope.Personal, owner, null), CannedReplyRules.ScopeKey(CannedReplyScope.Personal, Guid.NewGuid(), null));
        Assert.Equal("shared", CannedReplyRules.ScopeKey(CannedReplyScope.Shared, owner, null));
    }

    [Fact]
    public void Validate_RefusesAnUnknownVariable_NamingItAndTheField()
    {
        var (clean, error) = CannedReplyRules.Validate(new CannedReplyInput("T", "t", null, "您好 {{7*7}}", "Hi"));

        Assert.Null(clean);
        Assert.Equal(("unknown_variable", "textZh"), (error!.Code, error.Field));
        Assert.Contains("{{7*7}}", error.Message);
    }
}
