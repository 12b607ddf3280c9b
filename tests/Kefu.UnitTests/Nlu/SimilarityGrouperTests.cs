using Kefu.Nlu;

namespace Kefu.UnitTests.Nlu;

public class SimilarityGrouperTests
{
    private static readonly string[] Questions =
    [
        "怎么开发票", "发票怎么开", "如何开发票呢",
        "how do I reset my password", "reset password how",
        "你们周末上班吗",
    ];

    [Fact]
    public void Group_SimilarQuestions_LandTogether()
    {
        var groups = SimilarityGrouper.Group(Questions);
        Assert.Equal([0, 1, 2], groups[0].Members);
        Assert.Contains(groups, g => g.Members.SequenceEqual([3, 4]));
        Assert.Contains(groups, g => g.Members.SequenceEqual([5]));
    }

    [Fact]
    public void Group_EveryTextIsInExactlyOneGroup() =>
        Assert.Equal(Enumerable.Range(0, Questions.Length), SimilarityGrouper.Group(Questions).SelectMany(g => g.Members).Order());

    [Fact]
    public void Group_SameInputTwice_GivesTheSameGroups() =>
        Assert.Equal(
            SimilarityGrouper.Group(Questions).Select(g => string.Join(',', g.Members)),
            SimilarityGrouper.Group(Questions).Select(g => string.Join(',', g.Members)));

    [Fact]
    public void Group_Representative_IsAMember() =>
        Assert.All(SimilarityGrouper.Group(Questions), g => Assert.Contains(g.Representative, g.Members));

    [Fact]
    public void Group_ThresholdOfOne_KeepsDifferentTextsApart() =>
        Assert.Equal(Questions.Length, SimilarityGrouper.Group(Questions, 1.0).Count);
}
