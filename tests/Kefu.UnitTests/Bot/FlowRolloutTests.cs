using Kefu.Server.Features.Bot.Flows;

namespace Kefu.UnitTests.Bot;

/// <summary>Gray release's split (ADR 0041): close to the share asked for, sticky, monotone, different per flow.</summary>
public sealed class FlowRolloutTests
{
    [Fact]
    public void Split_FollowsTheShare_IsStickyAndMonotone_AndDiffersPerFlow()
    {
        var flow = Guid.Parse("0193f5a0-0000-7000-8000-000000000001");
        var other = Guid.Parse("0193f5a0-0000-7000-8000-000000000002");
        var conversations = Enumerable.Range(0, 10_000).Select(i => new Guid(i, 7, 7, 1, 2, 3, 4, 5, 6, 7, 8)).ToList();

        var at20 = conversations.Where(c => FlowRollout.VersionFor(flow, c, 1, 2, 20) == 2).ToHashSet();
        Assert.InRange(at20.Count, 1_850, 2_150);
        Assert.All(conversations.Take(100), c => Assert.Equal(FlowRollout.VersionFor(flow, c, 1, 2, 20), FlowRollout.VersionFor(flow, c, 1, 2, 20)));

        // Raising the share only adds conversations to the new version.
        var at50 = conversations.Where(c => FlowRollout.VersionFor(flow, c, 1, 2, 50) == 2).ToHashSet();
        Assert.Subset(at50, at20);
        Assert.InRange(at50.Count, 4_850, 5_150);

        // Another flow splits the same conversations differently; no rollout or 0 % is the published version.
        var otherAt20 = conversations.Where(c => FlowRollout.VersionFor(other, c, 1, 2, 20) == 2).ToHashSet();
        Assert.InRange(at20.Intersect(otherAt20).Count(), 250, 550); // about 20 % of 20 %, not all of them
        Assert.All(conversations.Take(100), c => Assert.Equal(1, FlowRollout.VersionFor(flow, c, 1, null, 20)));
        Assert.All(conversations.Take(100), c => Assert.Equal(1, FlowRollout.VersionFor(flow, c, 1, 2, 0)));
    }
}
