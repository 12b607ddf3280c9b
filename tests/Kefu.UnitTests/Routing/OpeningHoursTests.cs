using Kefu.Server.Features.Routing;

namespace Kefu.UnitTests.Routing;

public sealed class OpeningHoursTests
{
    [Fact]
    public void Format_SharesADaySpan_BetweenConsecutiveDaysWithTheSameRanges_AndParseReadsItBack()
    {
        var text = "mon 09:00-12:00; mon 13:00-18:00; tue-fri 09:00-12:00; tue-fri 13:00-18:00; sun 10:00-24:00";

        var ranges = OpeningHours.TryParse(text, out var error)!;

        Assert.Null(error);
        Assert.Equal(11, ranges.Count);
        Assert.Equal("mon-fri 09:00-12:00; mon-fri 13:00-18:00; sun 10:00-24:00", OpeningHours.Format(ranges));
        Assert.Equal(ranges, OpeningHours.TryParse(OpeningHours.Format(ranges), out _));
    }

    [Theory]
    [InlineData("mon 18:00-09:00")]
    [InlineData("fri 22:00-02:00")]
    [InlineData("mon 09:00-12:00; mon 11:59-13:00")]
    [InlineData("mon-wed 09:00-17:00; wed 08:00-09:30")]
    [InlineData("mon 24:00-24:00")]
    [InlineData("funday 09:00-10:00")]
    public void TryParse_RefusesBackwardsOverlappingOrMalformedRanges(string text)
    {
        Assert.Null(OpeningHours.TryParse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Dates_AreOrderedOnce_AndAnImpossibleDateIsRefused()
    {
        Assert.Equal("2027-01-01 2027-10-01", OpeningHours.FormatDates(OpeningHours.TryParseDates("2027-10-01, 2027-01-01 2027-10-01", out _)!));
        Assert.Null(OpeningHours.TryParseDates("2027-02-29", out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void ARangeEndingAt24_IsOpenUntilMidnight_InWeeklyHours()
    {
        var hours = Kefu.Server.Features.Routing.Contracts.WeeklyHours.Parse("mon 20:00-24:00", "UTC", "");

        Assert.True(hours.IsOpen(new DateTimeOffset(2027, 1, 4, 23, 59, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero)));
    }
}
