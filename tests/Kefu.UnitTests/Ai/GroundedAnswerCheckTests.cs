using Kefu.Server.Features.Ai;

namespace Kefu.UnitTests.Ai;

public sealed class GroundedAnswerCheckTests
{
    private static readonly Guid Given = Guid.Parse("0190f5c2-1111-7000-8000-000000000001");
    private static readonly Guid Other = Guid.Parse("0190f5c2-2222-7000-8000-000000000002");

    [Theory]
    [InlineData("Refunds take 1–3 days. [article:0190f5c2-1111-7000-8000-000000000001]", "Refunds take 1–3 days.")]
    [InlineData("[ article : 0190F5C2-1111-7000-8000-000000000001 ] Refunds take 1–3 days.\r\n", "Refunds take 1–3 days.")]
    public void AnswerCitingAGivenArticle_IsKept_WithoutItsCitation(string text, string expected)
    {
        var answer = GroundedAnswerer.Check(text, [Given]);

        Assert.Equal(expected, answer!.Text);
        Assert.Equal(Given, answer.ArticleId);
    }

    [Theory]
    [InlineData("Refunds take 1–3 days.")] // no citation
    [InlineData("Refunds take a day. [article:0190f5c2-2222-7000-8000-000000000002]")] // an article it was not given
    [InlineData("Yes [article:0190f5c2-1111-7000-8000-000000000001] and [article:0190f5c2-2222-7000-8000-000000000002]")] // one of them invented
    [InlineData("NO_ANSWER [article:0190f5c2-1111-7000-8000-000000000001]")]
    [InlineData("[article:0190f5c2-1111-7000-8000-000000000001]")] // nothing but the citation
    public void AnswerWithoutAValidCitation_IsRefused(string text) => Assert.Null(GroundedAnswerer.Check(text, [Given]));

    [Fact]
    public void AnswerLongerThanAMessage_IsRefused() =>
        Assert.Null(GroundedAnswerer.Check(new string('a', 5000) + $" [article:{Given}]", [Given, Other]));

    [Theory]
    [InlineData("http://127.0.0.1:11434/v1", true)]
    [InlineData("https://llm.example.test/v1", true)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://host/v1", false)]
    [InlineData("http://user:secret@host/v1", false)]
    [InlineData("http://host/v1?key=secret", false)]
    [InlineData("/v1", false)]
    [InlineData("", false)]
    public void Endpoint_MustBeAnHttpAddressWithoutCredentials(string endpoint, bool valid) => Assert.Equal(valid, AiRules.IsValidEndpoint(endpoint));
}
